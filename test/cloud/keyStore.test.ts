// API key storage. The keychain tests use the REAL OS keychain (through @napi-rs/keyring, and keytar
// for the keys earlier versions stored): on Linux, `npm run test:unit` runs
// them inside a throwaway Secret Service (scripts/withKeyring.mjs); to run this file alone:
//   node scripts/withKeyring.mjs npx vitest run test/cloud/keyStore.test.ts
// Every account gets a random suffix and is deleted afterwards, so a developer's keychain stays clean.
import { spawn } from 'node:child_process';
import { createCipheriv, createHmac, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentsError } from '../../src-main/core/EnclaveError';
import { DEFAULT_KDF, EncryptedFileKeyStore, KEY_FILE_FORMAT } from '../../src-main/core/providers/keys/EncryptedFileKeyStore';
import {
  InvalidApiKeyError,
  KeychainError,
  KeychainUnavailableError,
  KeyFileCorruptError,
  KeyStoreConfigError,
  WrongKeyFilePassphraseError
} from '../../src-main/core/providers/keys/errors';
import type { KeychainBackend } from '../../src-main/core/providers/keys/KeychainBackend';
import { KeychainKeyStore, type Keytar } from '../../src-main/core/providers/keys/KeychainKeyStore';
import { KEYCHAIN_SERVICE, keyStatus, type KeyStore } from '../../src-main/core/providers/keys/KeyStore';
import { NapiKeyringBackend } from '../../src-main/core/providers/keys/NapiKeyringBackend';
import { KEY_FILE, keyStoreOpener, openKeyStore } from '../../src-main/core/providers/keys/openKeyStore';
import { useTempDir } from '../support/tempDir';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const nodeKeytar = createRequire(import.meta.url)('keytar') as Keytar;
/** The default binding, used here directly to look at what the stores wrote. */
const keyring = NapiKeyringBackend.load();
const PASSPHRASE = 'correct horse battery staple';
const OPENAI_KEY = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

const tempDir = useTempDir('enclave-keys-');

/** Unique account names, deleted from the keychain after each test. */
const created: string[] = [];
function account(name = 'provider'): string {
  const unique = `enclave-test-${name}-${randomUUID()}`;
  created.push(unique);
  return unique;
}
afterEach(async () => {
  for (const name of created.splice(0)) {
    await keyring.deletePassword(KEYCHAIN_SERVICE, name).catch(() => false);
    await nodeKeytar.deletePassword(KEYCHAIN_SERVICE, name).catch(() => false);
  }
});

/** A binding whose every call fails (or never answers), for the error paths. */
function brokenBackend(fail: () => Promise<never>): KeychainBackend {
  return { getPassword: fail, setPassword: fail, deletePassword: fail };
}

async function expectRejects<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

async function exerciseStore(store: KeyStore): Promise<void> {
  const openai = account('openai');
  const anthropic = account('anthropic');
  expect(await store.get(openai)).toBeNull();
  expect(await keyStatus(store, openai)).toEqual({ set: false, last4: null });

  await store.set(openai, OPENAI_KEY);
  expect(await store.get(openai)).toBe(OPENAI_KEY);
  expect(await keyStatus(store, openai)).toEqual({ set: true, last4: '6789' });

  // Overwrite; a pasted key's surrounding whitespace and newline are dropped.
  await store.set(openai, '  sk-second-key-0000wxyz\n');
  expect(await store.get(openai)).toBe('sk-second-key-0000wxyz');
  expect(await keyStatus(store, openai)).toEqual({ set: true, last4: 'wxyz' });

  // Accounts are isolated.
  await store.set(anthropic, 'sk-ant-api03-zzzzzzzzzzzz');
  expect(await store.get(openai)).toBe('sk-second-key-0000wxyz');
  expect(await store.delete(openai)).toBe(true);
  expect(await store.get(openai)).toBeNull();
  expect(await store.delete(openai)).toBe(false);
  expect(await store.get(anthropic)).toBe('sk-ant-api03-zzzzzzzzzzzz');
  expect(await store.delete(anthropic)).toBe(true);
}

/** A key file exactly as Enclave 0.1 wrote it (scrypt N = 2^15), made here with node:crypto from the documented format. */
function writeVersion01KeyFile(file: string, entries: Record<string, string>): void {
  const salt = randomBytes(16);
  const kdf = { name: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: salt.toString('base64') };
  const derived = scryptSync(PASSPHRASE.normalize('NFC'), salt, 64, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r });
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derived.subarray(0, 32), iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(JSON.stringify({ format: KEY_FILE_FORMAT, version: 1, cipher: 'aes-256-gcm', kdf }), 'utf8'));
  const data = Buffer.concat([cipher.update(JSON.stringify(entries), 'utf8'), cipher.final()]);
  const check = createHmac('sha256', derived.subarray(32)).update('enclave-key-file passphrase check').digest('base64');
  const envelope = { format: KEY_FILE_FORMAT, version: 1, kdf, cipher: 'aes-256-gcm', check, iv: iv.toString('base64') };
  writeFileSync(file, JSON.stringify({ ...envelope, tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') }), {
    mode: 0o600
  });
}

describe('keyStatus and key validation', () => {
  const memory = (): KeyStore => {
    const map = new Map<string, string>();
    return {
      kind: 'keychain',
      description: 'memory',
      get: async (name) => map.get(name) ?? null,
      set: async (name, secret) => void map.set(name, secret),
      delete: async (name) => map.delete(name)
    };
  };

  it('shows the last 4 characters only of keys of at least 12 characters, counting code points', async () => {
    const store = memory();
    await store.set('long', 'abcdefgh1234');
    await store.set('short', 'abcdefgh123');
    await store.set('emoji', 'key-🔑🔑🔑-ünï✓😀x');
    expect(await keyStatus(store, 'long')).toEqual({ set: true, last4: '1234' });
    expect(await keyStatus(store, 'short')).toEqual({ set: true, last4: null });
    expect(await keyStatus(store, 'emoji')).toEqual({ set: true, last4: 'ï✓😀x' });
    expect(await keyStatus(store, 'none')).toEqual({ set: false, last4: null });
  });
});

describe('KeychainKeyStore against the real keychain', () => {
  let store: KeychainKeyStore;
  beforeAll(async () => {
    store = await KeychainKeyStore.open();
  });

  it('uses @napi-rs/keyring; on Linux and Windows keytar keeps entries of its own (hence the move below)', async () => {
    const name = account();
    await store.set(name, OPENAI_KEY);
    expect(await keyring.getPassword(KEYCHAIN_SERVICE, name)).toBe(OPENAI_KEY);
    // libsecret attributes service/account (keytar) vs service/username (keyring-rs); on macOS both use the same item.
    expect(await nodeKeytar.getPassword(KEYCHAIN_SERVICE, name)).toBe(process.platform === 'darwin' ? OPENAI_KEY : null);
  });

  it('describes itself as the OS keychain', () => {
    expect(store.kind).toBe('keychain');
    expect(store.description).toMatch(/^the OS keychain \(/);
  });

  it('sets, reads, overwrites and deletes keys; accounts are isolated', async () => {
    await exerciseStore(store);
  });

  it(`stores under the service "${KEYCHAIN_SERVICE}" with the account as given`, async () => {
    const name = account();
    await store.set(name, OPENAI_KEY);
    expect(await keyring.getPassword(KEYCHAIN_SERVICE, name)).toBe(OPENAI_KEY);
    expect(await keyring.getPassword('not-enclave', name)).toBeNull();
  });

  it('round-trips unicode and long keys', async () => {
    const name = account();
    for (const secret of ['clé-ünïcødé-✓-密钥-🔑😀-ключ', 'x'.repeat(8 * 1024), 'ab cd=ef/gh+ij:kl']) {
      await store.set(name, secret);
      expect(await store.get(name)).toBe(secret);
    }
  });

  it('refuses invalid keys without quoting them, and stores nothing', async () => {
    const name = account();
    const invalid = [
      '',
      '   \n\t ',
      'sk-first-line\nsk-second-line',
      'sk-with\u0000nul-inside',
      'sk-esc\u001b[0m',
      'sk\u2028sep',
      'é'.repeat(4097)
    ];
    for (const secret of invalid) {
      const error = await expectRejects(store.set(name, secret), InvalidApiKeyError);
      expect(error.code).toBe('INVALID_API_KEY');
      if (secret.trim()) expect(error.message).not.toContain(secret.trim().slice(0, 8));
    }
    expect(await store.get(name)).toBeNull();
    await expectRejects(store.set('', OPENAI_KEY), InvalidArgumentsError);
    await expectRejects(store.get('bad\naccount'), InvalidArgumentsError);
  });
});

describe('moving the keys keytar stored (earlier versions) into @napi-rs/keyring', () => {
  it('moves a key found only through keytar when it is read, and deletes it there', async () => {
    const name = account();
    await nodeKeytar.setPassword(KEYCHAIN_SERVICE, name, OPENAI_KEY);
    const store = await KeychainKeyStore.open();
    expect(await keyStatus(store, name)).toEqual({ set: true, last4: '6789' });
    expect(await keyring.getPassword(KEYCHAIN_SERVICE, name)).toBe(OPENAI_KEY);
    expect(await nodeKeytar.getPassword(KEYCHAIN_SERVICE, name)).toBeNull();
    expect(await (await KeychainKeyStore.open()).get(name)).toBe(OPENAI_KEY);
  });

  it('prefers the key @napi-rs/keyring holds, and deletes keytar’s too so that it cannot come back', async () => {
    const name = account();
    const store = await KeychainKeyStore.open();
    await store.set(name, 'sk-newer-key-0000abcd');
    await nodeKeytar.setPassword(KEYCHAIN_SERVICE, name, 'sk-older-key-0000wxyz');
    expect(await store.get(name)).toBe('sk-newer-key-0000abcd');
    expect(await store.delete(name)).toBe(true);
    expect(await store.get(name)).toBeNull();
    expect(await nodeKeytar.getPassword(KEYCHAIN_SERVICE, name)).toBeNull();
    // A key left only in keytar counts as deleted too.
    await nodeKeytar.setPassword(KEYCHAIN_SERVICE, name, 'sk-older-key-0000wxyz');
    expect(await store.delete(name)).toBe(true);
    expect(await store.get(name)).toBeNull();
  });

  it('never touches an item through keytar when both bindings see the same items (as on macOS)', async () => {
    const name = account();
    await nodeKeytar.setPassword(KEYCHAIN_SERVICE, name, OPENAI_KEY);
    // A second view of keytar's entries: deleting "the old copy" there would delete the key itself.
    const sameItems: KeychainBackend = {
      getPassword: (service, user) => nodeKeytar.getPassword(service, user),
      setPassword: (service, user, password) => nodeKeytar.setPassword(service, user, password),
      deletePassword: (service, user) => nodeKeytar.deletePassword(service, user)
    };
    const store = await KeychainKeyStore.open({ backend: sameItems, legacy: nodeKeytar });
    for (let i = 0; i < 2; i++) expect(await store.get(name)).toBe(OPENAI_KEY);
    expect(await nodeKeytar.getPassword(KEYCHAIN_SERVICE, name)).toBe(OPENAI_KEY);
    await store.set(name, 'sk-second-key-0000wxyz');
    expect(await store.get(name)).toBe('sk-second-key-0000wxyz');
    expect(await store.delete(name)).toBe(true);
    expect(await store.get(name)).toBeNull();
  });

  it('reads the key as unset, and leaves it in keytar, while keytar fails', async () => {
    const name = account();
    await nodeKeytar.setPassword(KEYCHAIN_SERVICE, name, OPENAI_KEY);
    const failing = { ...nodeKeytar, getPassword: () => Promise.reject(new Error('keytar is broken')) } as Keytar;
    expect(await (await KeychainKeyStore.open({ legacy: failing })).get(name)).toBeNull();
    expect(await nodeKeytar.getPassword(KEYCHAIN_SERVICE, name)).toBe(OPENAI_KEY);
    expect(await (await KeychainKeyStore.open({ legacy: null })).get(name)).toBeNull();
    expect(await (await KeychainKeyStore.open()).get(name)).toBe(OPENAI_KEY);
  });
});

describe('KeychainKeyStore errors', () => {
  it('reports an unreachable keychain as KeychainUnavailableError, naming the fixes and the opt-in fallback', async () => {
    const backend = brokenBackend(() => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')));
    const error = await expectRejects(KeychainKeyStore.open({ backend, platform: 'linux' }), KeychainUnavailableError);
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(error).toBeInstanceOf(KeychainError);
    expect(error.message).toContain('Cannot autolaunch D-Bus without X11 $DISPLAY');
    expect(error.message).toContain('gnome-keyring');
    expect(error.message).toContain('KWallet');
    expect(error.message).toContain('ENCLAVE_KEY_STORE=encrypted-file');
    expect(error.message).toContain('plain text');
  });

  it('gives up on a keychain that never answers after the probe timeout', async () => {
    const backend = brokenBackend(() => new Promise<never>(() => {}));
    const started = Date.now();
    const error = await expectRejects(KeychainKeyStore.open({ backend, probeTimeoutMs: 200 }), KeychainUnavailableError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.message).toContain('did not answer within 200 ms');
  });

  it('wraps failed operations with context and never puts the key in the message', async () => {
    const secret = 'sk-leaky-secret-1234567890';
    let fail = false;
    const backend: KeychainBackend = {
      getPassword: (service, name) => (fail ? Promise.reject(new Error('boom: permission denied')) : keyring.getPassword(service, name)),
      setPassword: () => Promise.reject(new Error(`cannot store ${secret} here`)),
      deletePassword: (service, name) => keyring.deletePassword(service, name)
    };
    const store = await KeychainKeyStore.open({ backend, legacy: null });
    const name = account();
    const setError = await expectRejects(store.set(name, secret), KeychainError);
    expect(setError.code).toBe('KEYCHAIN_ERROR');
    expect(setError.message).toContain(`store the API key for "${name}"`);
    expect(setError.message).not.toContain(secret);
    expect(String((setError.cause as Error).message)).not.toContain(secret);
    fail = true;
    const getError = await expectRejects(store.get(name), KeychainError);
    expect(getError.message).toContain('boom: permission denied');
  });

  it('reports a keychain that disappears later as unavailable, and a hung operation as a timeout', async () => {
    let mode: 'ok' | 'gone' | 'hang' = 'ok';
    const backend = brokenBackend(() =>
      mode === 'ok'
        ? (Promise.resolve(null) as Promise<never>)
        : mode === 'gone'
          ? Promise.reject(new Error('The name org.freedesktop.secrets was not provided by any .service files'))
          : new Promise<never>(() => {})
    );
    const store = await KeychainKeyStore.open({ backend, legacy: null, operationTimeoutMs: 200 });
    mode = 'gone';
    await expectRejects(store.get('openai'), KeychainUnavailableError);
    mode = 'hang';
    const error = await expectRejects(store.delete('openai'), KeychainError);
    expect(error.code).toBe('KEYCHAIN_TIMEOUT');
  });
});

/**
 * Opens the key store in a child process (a fresh D-Bus connection with the given environment) and
 * returns what it reported. A child whose binding call hangs cannot exit (Node joins its threads on
 * exit), so it is killed once it has printed its result.
 */
async function openInChild(env: NodeJS.ProcessEnv, dataDir: string, probeTimeoutMs = 5_000, wrap: string[] = []) {
  const script = join(tempDir(), 'child.mjs');
  writeFileSync(
    script,
    `const { openKeyStore } = await import(process.argv[2]);
const started = Date.now();
let result;
try {
  const store = await openKeyStore({ dataDir: process.argv[3], probeTimeoutMs: Number(process.argv[4]) });
  result = { ok: true, kind: store.kind };
} catch (error) {
  result = { ok: false, name: error.name, code: error.code, message: error.message };
}
console.log('RESULT ' + JSON.stringify({ ...result, ms: Date.now() - started }));
process.exit(0);
`
  );
  const moduleUrl = pathToFileURL(join(repoRoot, 'src-main/core/providers/keys/openKeyStore.ts')).href;
  const command = [...wrap, process.execPath, '--import', 'tsx', script, moduleUrl, dataDir, String(probeTimeoutMs)];
  const started = Date.now();
  const line = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let result: string | null = null;
    const timers = [setTimeout(() => child.kill('SIGKILL'), 30_000)];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^RESULT (.*)$/m.exec(stdout);
      if (result === null && match) {
        result = match[1]!;
        timers.push(setTimeout(() => child.kill('SIGKILL'), 2_000));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const timer of timers) clearTimeout(timer);
      if (result !== null) resolvePromise(result);
      else reject(new Error(`child exited with ${code ?? signal} before reporting: ${stdout}${stderr}`));
    });
  });
  return {
    ...(JSON.parse(line) as { ok: boolean; name?: string; code?: string; message?: string; ms: number }),
    wallMs: Date.now() - started
  };
}

function headlessEnv(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.ENCLAVE_KEY_STORE;
  delete env.ENCLAVE_KEY_PASSPHRASE;
  return env;
}

describe.skipIf(process.platform !== 'linux')('without a Secret Service (headless Linux)', () => {
  it('says the keychain is unavailable, promptly, and writes nothing', async () => {
    const dataDir = tempDir();
    const result = await openInChild(headlessEnv({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' }), dataDir);
    expect(result).toMatchObject({ ok: false, name: 'KeychainUnavailableError', code: 'KEYCHAIN_UNAVAILABLE' });
    expect(result.message).toContain('ENCLAVE_KEY_STORE=encrypted-file');
    expect(result.message).toContain('not store them in plain text');
    expect(result.ms).toBeLessThan(3_000);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('says so without any D-Bus session at all', async () => {
    const dataDir = tempDir();
    const env = headlessEnv({});
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const result = await openInChild(env, dataDir);
    expect(result).toMatchObject({ ok: false, code: 'KEYCHAIN_UNAVAILABLE' });
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('does not hang on a D-Bus that never answers', async () => {
    const dataDir = tempDir();
    const socketPath = join(tempDir(), 'bus');
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => void sockets.push(socket)); // accepts, never answers
    await new Promise<void>((done) => server.listen(socketPath, done));
    try {
      const result = await openInChild(headlessEnv({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath}` }), dataDir, 1_000);
      expect(result).toMatchObject({ ok: false, code: 'KEYCHAIN_UNAVAILABLE' });
      expect(result.message).toContain('did not answer within 1000 ms');
      expect(result.ms).toBeLessThan(3_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  // dbus-run-session is there: scripts/withKeyring.mjs, which runs these tests, refuses to start without it.
  it('says so on a D-Bus session without a Secret Service provider', async () => {
    const dir = tempDir();
    const config = join(dir, 'bus.conf');
    // A session bus with no service directories: nothing can be activated as org.freedesktop.secrets.
    writeFileSync(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=${dir}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
`
    );
    const dataDir = tempDir();
    const result = await openInChild(headlessEnv({}), dataDir, 5_000, ['dbus-run-session', `--config-file=${config}`, '--']);
    expect(result).toMatchObject({ ok: false, code: 'KEYCHAIN_UNAVAILABLE' });
    expect(result.message).toContain('org.freedesktop.secrets');
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('EncryptedFileKeyStore (the opt-in fallback)', () => {
  const open = (file: string, passphrase = PASSPHRASE) => EncryptedFileKeyStore.open({ file, passphrase });

  it('sets, reads, overwrites and deletes keys; accounts are isolated', async () => {
    const store = await open(join(tempDir(), KEY_FILE));
    expect(store.kind).toBe('encrypted-file');
    expect(store.description).toBe(`the encrypted file ${store.file}`);
    await exerciseStore(store);
  });

  it('creates nothing until a key is set, then a 0600 file that reopens with the same passphrase', async () => {
    const dir = tempDir();
    const file = join(dir, 'nested', KEY_FILE);
    const store = await open(file);
    expect(existsSync(file)).toBe(false);
    await store.set('openai', OPENAI_KEY);
    await store.set('anthropic', 'clé-ünïcødé-✓-密钥-🔑😀');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'nested'))).toEqual([KEY_FILE]); // no temp files left behind

    const reopened = await open(file);
    expect(await reopened.get('openai')).toBe(OPENAI_KEY);
    expect(await reopened.get('anthropic')).toBe('clé-ünïcødé-✓-密钥-🔑😀');
    expect(await keyStatus(reopened, 'openai')).toEqual({ set: true, last4: '6789' });
  });

  it('keeps keys and account names out of the file bytes; a fresh IV on every write', async () => {
    const file = join(tempDir(), KEY_FILE);
    const store = await open(file);
    await store.set('openai-account', OPENAI_KEY);
    const first = readFileSync(file);
    const text = first.toString('latin1');
    for (const encoding of ['utf8', 'base64', 'base64url', 'hex'] as const) {
      expect(text).not.toContain(Buffer.from(OPENAI_KEY).toString(encoding));
      // Any 12-character window of the key, in case of encoding at an offset.
      expect(text).not.toContain(Buffer.from(OPENAI_KEY.slice(10, 22)).toString(encoding === 'utf8' ? 'utf8' : 'hex'));
    }
    expect(text).not.toContain('openai-account');
    expect(text).not.toContain(PASSPHRASE);

    await store.set('openai-account', OPENAI_KEY);
    const second = JSON.parse(readFileSync(file, 'utf8')) as { iv: string; data: string; kdf: { salt: string } };
    const firstJson = JSON.parse(first.toString('utf8')) as typeof second;
    expect(second.iv).not.toBe(firstJson.iv);
    expect(second.data).not.toBe(firstJson.data);
    expect(second.kdf.salt).toBe(firstJson.kdf.salt);
  });

  it('reports a wrong passphrase clearly and leaves the file alone', async () => {
    const file = join(tempDir(), KEY_FILE);
    await (await open(file)).set('openai', OPENAI_KEY);
    const before = readFileSync(file);
    const error = await expectRejects(open(file, 'not the right passphrase'), WrongKeyFilePassphraseError);
    expect(error.code).toBe('KEY_FILE_WRONG_PASSPHRASE');
    expect(error.message).toContain('ENCLAVE_KEY_PASSPHRASE');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a damaged file clearly and never overwrites it', async () => {
    const file = join(tempDir(), KEY_FILE);
    const store = await open(file);
    await store.set('openai', OPENAI_KEY);
    const good = readFileSync(file, 'utf8');
    const envelope = JSON.parse(good) as Record<string, string>;
    const data = Buffer.from(envelope.data!, 'base64');
    data[0] ^= 1;
    const damaged = [
      JSON.stringify({ ...envelope, data: data.toString('base64') }),
      JSON.stringify({ ...envelope, tag: Buffer.alloc(16).toString('base64') }),
      JSON.stringify({ ...envelope, iv: 'not base64!' }),
      JSON.stringify({ ...envelope, kdf: { name: 'scrypt', N: 2 ** 30, r: 8, p: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' } }),
      good.slice(0, good.length / 2),
      'plain garbage',
      ''
    ];
    for (const contents of damaged) {
      writeFileSync(file, contents, { mode: 0o600 });
      const error = await expectRejects(open(file), KeyFileCorruptError);
      expect(error.code).toBe('KEY_FILE_CORRUPT');
      expect(error.message).toContain('left untouched');
      // An already open store refuses to write over it too.
      await expectRejects(store.set('anthropic', 'sk-ant-api03-zzzzzzzzzzzz'), KeyFileCorruptError);
      await expectRejects(store.delete('openai'), KeyFileCorruptError);
      expect(readFileSync(file, 'utf8')).toBe(contents);
    }
  });

  it('derives new files’ key with scrypt at OWASP’s cost (N = 2^17, r = 8, p = 1)', async () => {
    const store = await open(join(tempDir(), KEY_FILE));
    await store.set('openai', OPENAI_KEY);
    const { kdf } = JSON.parse(readFileSync(store.file, 'utf8')) as { kdf: Record<string, unknown> };
    expect(DEFAULT_KDF).toEqual({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    expect(kdf).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
  });

  it('reads a file written with the weaker parameters of Enclave 0.1, and re-encrypts it under the new ones on the next write', async () => {
    const file = join(tempDir(), KEY_FILE);
    writeVersion01KeyFile(file, { openai: OPENAI_KEY });
    const before = readFileSync(file, 'utf8');
    const store = await open(file);
    expect(await store.get('openai')).toBe(OPENAI_KEY);
    expect(readFileSync(file, 'utf8')).toBe(before); // reading writes nothing

    await store.set('anthropic', 'sk-ant-api03-zzzzzzzzzzzz');
    const oldKdf = (JSON.parse(before) as { kdf: { salt: string } }).kdf;
    const { kdf } = JSON.parse(readFileSync(file, 'utf8')) as { kdf: { N: number; r: number; p: number; salt: string } };
    expect(kdf).toMatchObject({ N: 2 ** 17, r: 8, p: 1 });
    expect(kdf.salt).not.toBe(oldKdf.salt);
    const reopened = await open(file);
    expect(await reopened.get('openai')).toBe(OPENAI_KEY);
    expect(await reopened.get('anthropic')).toBe('sk-ant-api03-zzzzzzzzzzzz');
    await expectRejects(open(file, 'not the right passphrase'), WrongKeyFilePassphraseError);
  });

  it('tightens loosened permissions', async () => {
    if (process.platform === 'win32') return;
    const file = join(tempDir(), KEY_FILE);
    await (await open(file)).set('openai', OPENAI_KEY);
    chmodSync(file, 0o644);
    expect(await (await open(file)).get('openai')).toBe(OPENAI_KEY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('needs a passphrase of at least 12 characters and valid keys', async () => {
    await expectRejects(open(join(tempDir(), KEY_FILE), 'short'), KeyStoreConfigError);
    const store = await open(join(tempDir(), KEY_FILE));
    await expectRejects(store.set('openai', 'two\nlines'), InvalidApiKeyError);
    expect(existsSync(store.file)).toBe(false);
  });

  it('serializes concurrent writes within a process', async () => {
    const store = await open(join(tempDir(), KEY_FILE));
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.set(`provider-${i}`, `sk-key-number-${i}-abcdef`)));
    const reopened = await open(store.file);
    for (let i = 0; i < 10; i++) expect(await reopened.get(`provider-${i}`)).toBe(`sk-key-number-${i}-abcdef`);
  });
});

describe('openKeyStore', () => {
  it('uses the OS keychain by default and with ENCLAVE_KEY_STORE=keychain', async () => {
    for (const env of [{}, { ENCLAVE_KEY_STORE: 'keychain' }, { ENCLAVE_KEY_STORE: '' }]) {
      const dataDir = tempDir();
      const store = await openKeyStore({ dataDir, env });
      expect(store.kind).toBe('keychain');
      const name = account();
      await store.set(name, OPENAI_KEY);
      expect(await keyring.getPassword(KEYCHAIN_SERVICE, name)).toBe(OPENAI_KEY);
      expect(readdirSync(dataDir)).toEqual([]);
    }
  });

  it('never falls back to a file when the keychain is unavailable', async () => {
    const dataDir = tempDir();
    const keychain = brokenBackend(() => Promise.reject(new Error('Could not connect: No such file or directory')));
    await expectRejects(openKeyStore({ dataDir, env: {}, keychain }), KeychainUnavailableError);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('uses the encrypted file only when asked, at <dataDir>/keys.enc', async () => {
    const dataDir = tempDir();
    const env = { ENCLAVE_KEY_STORE: 'encrypted-file', ENCLAVE_KEY_PASSPHRASE: PASSPHRASE };
    const unused = () => Promise.reject(new Error('the keychain must not be used'));
    const store = await openKeyStore({ dataDir, env: { ...env }, keychain: brokenBackend(unused) });
    expect(store.kind).toBe('encrypted-file');
    expect(store.description).toContain(join(dataDir, KEY_FILE));
    await store.set('openai', OPENAI_KEY);
    expect(readdirSync(dataDir)).toEqual([KEY_FILE]);
    expect(await (await openKeyStore({ dataDir, env: { ...env } })).get('openai')).toBe(OPENAI_KEY);
  });

  it('takes the passphrase out of the environment it was given and of process.env, and can still reopen', async () => {
    const dataDir = tempDir();
    const env: NodeJS.ProcessEnv = { ENCLAVE_KEY_STORE: 'encrypted-file', ENCLAVE_KEY_PASSPHRASE: PASSPHRASE };
    process.env.ENCLAVE_KEY_PASSPHRASE = PASSPHRASE;
    try {
      const openStore = keyStoreOpener({ dataDir, env });
      expect(env).toEqual({ ENCLAVE_KEY_STORE: 'encrypted-file' });
      expect(process.env.ENCLAVE_KEY_PASSPHRASE).toBeUndefined();
      await (await openStore()).set('openai', OPENAI_KEY);
      expect(await (await openStore()).get('openai')).toBe(OPENAI_KEY);

      process.env.ENCLAVE_KEY_STORE = 'encrypted-file';
      process.env.ENCLAVE_KEY_PASSPHRASE = PASSPHRASE;
      expect(await (await openKeyStore({ dataDir })).get('openai')).toBe(OPENAI_KEY);
      expect(process.env.ENCLAVE_KEY_PASSPHRASE).toBeUndefined();
    } finally {
      delete process.env.ENCLAVE_KEY_PASSPHRASE;
      delete process.env.ENCLAVE_KEY_STORE;
    }
  });

  it('names the variable when the passphrase is missing or short, and lists the valid stores', async () => {
    const dataDir = tempDir();
    for (const passphrase of [undefined, '', 'elevenchars']) {
      const error = await expectRejects(
        openKeyStore({ dataDir, env: { ENCLAVE_KEY_STORE: 'encrypted-file', ENCLAVE_KEY_PASSPHRASE: passphrase } }),
        KeyStoreConfigError
      );
      expect(error.code).toBe('KEY_STORE_CONFIG');
      expect(error.message).toContain('ENCLAVE_KEY_PASSPHRASE');
    }
    for (const kind of ['plaintext', 'file', 'Keychain']) {
      const error = await expectRejects(openKeyStore({ dataDir, env: { ENCLAVE_KEY_STORE: kind } }), KeyStoreConfigError);
      expect(error.message).toContain('keychain, encrypted-file');
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
