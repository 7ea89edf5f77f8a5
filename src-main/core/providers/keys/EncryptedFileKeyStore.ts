import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { chmod, lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  KeyFileCorruptError,
  KeyFileError,
  KeyStoreConfigError,
  MIN_KEY_FILE_PASSPHRASE_LENGTH,
  WrongKeyFilePassphraseError
} from './errors';
import { checkAccount, normalizeApiKey, type KeyStore } from './KeyStore';

export const KEY_FILE_FORMAT = 'enclave-key-file';
const KEY_FILE_VERSION = 1;
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT_BYTES = 16;
const CHECK_LABEL = 'enclave-key-file passphrase check';

/**
 * scrypt parameters for new files, OWASP's recommendation: 2^17 × 8 → 128 MiB and about 0.3 s per
 * derivation. Files with weaker parameters (Enclave 0.1 wrote N = 2^15) are still read, and are
 * re-encrypted under these, with a new salt, on their next write.
 */
export const DEFAULT_KDF = { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 } as const;

interface KdfParams {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
}

/** The file as stored (JSON). Everything but the ciphertext is authenticated as additional data. */
interface KeyFileEnvelope {
  format: typeof KEY_FILE_FORMAT;
  version: number;
  kdf: KdfParams;
  cipher: typeof CIPHER;
  /** HMAC of a fixed label under a second derived key: tells a wrong passphrase from a damaged file. */
  check: string;
  iv: string;
  tag: string;
  data: string;
}

interface DerivedKeys {
  encryption: Buffer;
  check: Buffer;
}

export interface EncryptedFileKeyStoreOptions {
  file: string;
  /** At least MIN_KEY_FILE_PASSPHRASE_LENGTH characters. */
  passphrase: string;
}

/**
 * The explicit, opt-in fallback for machines without an OS keychain (ENCLAVE_KEY_STORE=encrypted-file,
 * passphrase in ENCLAVE_KEY_PASSPHRASE; see openKeyStore). Never chosen automatically.
 *
 * Format: a JSON envelope holding the scrypt parameters with a random salt per file, a random IV per
 * write, and the AES-256-GCM ciphertext and tag of a JSON map account → key. The header is
 * authenticated too. The file has mode 0600 and is replaced atomically (temp file + rename); a damaged
 * file or a wrong passphrase is reported and never overwritten.
 *
 * Trade-off: this protects the keys at rest against someone who copies the data folder (a backup, a
 * synced folder, a stolen disk image) without the passphrase. It does not give what a keychain gives:
 * there is no OS-level access control, so anyone or anything that can read both the file and the
 * passphrase (the process environment, a shell history, a service unit or .env file holding
 * ENCLAVE_KEY_PASSPHRASE) has every key. It is as strong as the passphrase is secret and long.
 * Concurrent writers in different processes are not merged: the last write wins.
 */
export class EncryptedFileKeyStore implements KeyStore {
  readonly kind = 'encrypted-file' as const;
  readonly description: string;
  private readonly derived = new Map<string, Promise<DerivedKeys>>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private readonly passphrase: string
  ) {
    this.description = `the encrypted file ${file}`;
  }

  /** Opens (without creating) the key file; an existing file is decrypted now, so a wrong passphrase or damage shows at once. */
  static async open(options: EncryptedFileKeyStoreOptions): Promise<EncryptedFileKeyStore> {
    const { file, passphrase } = options;
    if (typeof passphrase !== 'string' || Array.from(passphrase).length < MIN_KEY_FILE_PASSPHRASE_LENGTH)
      throw new KeyStoreConfigError(
        `The passphrase for the encrypted key file must be at least ${MIN_KEY_FILE_PASSPHRASE_LENGTH} characters.`
      );
    const store = new EncryptedFileKeyStore(file, passphrase);
    await store.read();
    return store;
  }

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    return this.serialize(async () => (await this.read())?.entries[account] ?? null);
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    const key = normalizeApiKey(secret);
    return this.serialize(async () => {
      const current = await this.read();
      await this.write({ ...current?.entries, [account]: key }, current?.kdf);
    });
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    return this.serialize(async () => {
      const current = await this.read();
      if (!current || !Object.hasOwn(current.entries, account)) return false;
      const { [account]: _removed, ...rest } = current.entries;
      await this.write(rest, current.kdf);
      return true;
    });
  }

  /** One operation at a time within this process, so a set never loses another set's write. */
  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The decrypted map, or null when the file does not exist yet. */
  private async read(): Promise<{ entries: Record<string, string>; kdf: KdfParams } | null> {
    let raw: string;
    try {
      const stats = await lstat(this.file);
      if (!stats.isFile()) throw new KeyFileError(this.file, `${this.file} is not a regular file; move it away and start again.`);
      // Someone loosened the permissions: tighten them again (no effect on Windows, where ACLs apply).
      if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) await chmod(this.file, 0o600);
      raw = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      if (error instanceof KeyFileError) throw error;
      throw new KeyFileError(this.file, `Could not read the encrypted key file ${this.file}: ${(error as Error).message}`, {
        cause: error
      });
    }
    const envelope = parseEnvelope(this.file, raw);
    const keys = await this.keysFor(envelope.kdf);
    const check = createHmac('sha256', keys.check).update(CHECK_LABEL).digest();
    if (!timingSafeEqual(check, decode(this.file, envelope.check, 'check', 32))) throw new WrongKeyFilePassphraseError(this.file);
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv(CIPHER, keys.encryption, decode(this.file, envelope.iv, 'iv', IV_BYTES), {
        authTagLength: TAG_BYTES
      });
      decipher.setAAD(headerBytes(envelope.kdf));
      decipher.setAuthTag(decode(this.file, envelope.tag, 'tag', TAG_BYTES));
      plaintext = Buffer.concat([decipher.update(decode(this.file, envelope.data, 'data')), decipher.final()]);
    } catch (error) {
      if (error instanceof KeyFileCorruptError) throw error;
      throw new KeyFileCorruptError(this.file, 'the contents fail authentication', { cause: error });
    }
    try {
      return { entries: parseEntries(this.file, plaintext.toString('utf8')), kdf: envelope.kdf };
    } finally {
      plaintext.fill(0);
    }
  }

  private async write(entries: Record<string, string>, existingKdf: KdfParams | undefined): Promise<void> {
    const kdf: KdfParams =
      existingKdf && !isWeaker(existingKdf) ? existingKdf : { ...DEFAULT_KDF, salt: randomBytes(SALT_BYTES).toString('base64') };
    const keys = await this.keysFor(kdf);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, keys.encryption, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(headerBytes(kdf));
    const plaintext = Buffer.from(JSON.stringify(entries), 'utf8');
    const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    plaintext.fill(0);
    const envelope: KeyFileEnvelope = {
      format: KEY_FILE_FORMAT,
      version: KEY_FILE_VERSION,
      kdf,
      cipher: CIPHER,
      check: createHmac('sha256', keys.check).update(CHECK_LABEL).digest('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64')
    };

    const dir = dirname(this.file);
    const temp = join(dir, `.${basename(this.file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(envelope, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw new KeyFileError(this.file, `Could not write the encrypted key file ${this.file}: ${(error as Error).message}`, {
        cause: error
      });
    }
  }

  private keysFor(kdf: KdfParams): Promise<DerivedKeys> {
    const id = `${kdf.N}:${kdf.r}:${kdf.p}:${kdf.salt}`;
    let keys = this.derived.get(id);
    if (!keys) {
      keys = deriveKeys(this.passphrase, kdf);
      this.derived.set(id, keys);
      keys.catch(() => this.derived.delete(id));
    }
    return keys;
  }
}

function deriveKeys(passphrase: string, kdf: KdfParams): Promise<DerivedKeys> {
  const salt = Buffer.from(kdf.salt, 'base64');
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 64, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r }, (error, derived) => {
      if (error) reject(error);
      else resolve({ encryption: derived.subarray(0, 32), check: derived.subarray(32) });
    });
  });
}

/** Cheaper to attack than DEFAULT_KDF: scrypt's memory and time grow with N × r (p ≥ 1 only multiplies the time). */
function isWeaker(kdf: KdfParams): boolean {
  return kdf.N * kdf.r < DEFAULT_KDF.N * DEFAULT_KDF.r;
}

/** Additional authenticated data: the header that decides how the file is decrypted. */
function headerBytes(kdf: KdfParams): Buffer {
  const { name, N, r, p, salt } = kdf;
  return Buffer.from(
    JSON.stringify({ format: KEY_FILE_FORMAT, version: KEY_FILE_VERSION, cipher: CIPHER, kdf: { name, N, r, p, salt } }),
    'utf8'
  );
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decode(file: string, value: string, field: string, bytes?: number): Buffer {
  const buffer = BASE64.test(value) ? Buffer.from(value, 'base64') : null;
  if (!buffer || (bytes !== undefined && buffer.length !== bytes)) throw new KeyFileCorruptError(file, `bad "${field}" field`);
  return buffer;
}

function isInt(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function parseEnvelope(file: string, raw: string): KeyFileEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new KeyFileCorruptError(file, 'not valid JSON', { cause: error });
  }
  const envelope = parsed as Partial<KeyFileEnvelope> | null;
  if (!envelope || typeof envelope !== 'object' || envelope.format !== KEY_FILE_FORMAT)
    throw new KeyFileCorruptError(file, 'not an Enclave key file');
  if (envelope.version !== KEY_FILE_VERSION)
    throw new KeyFileCorruptError(file, `version ${String(envelope.version)} is not supported by this version of Enclave`);
  const kdf = envelope.kdf as Partial<KdfParams> | undefined;
  // Bounded so that a crafted file cannot make the key derivation take gigabytes.
  if (
    !kdf ||
    kdf.name !== 'scrypt' ||
    !isInt(kdf.N, 2 ** 14, 2 ** 18) ||
    (kdf.N & (kdf.N - 1)) !== 0 ||
    !isInt(kdf.r, 1, 16) ||
    !isInt(kdf.p, 1, 4) ||
    typeof kdf.salt !== 'string'
  )
    throw new KeyFileCorruptError(file, 'bad key derivation parameters');
  decode(file, kdf.salt, 'salt', SALT_BYTES);
  if (envelope.cipher !== CIPHER) throw new KeyFileCorruptError(file, `unknown cipher ${String(envelope.cipher)}`);
  for (const field of ['check', 'iv', 'tag', 'data'] as const)
    if (typeof envelope[field] !== 'string') throw new KeyFileCorruptError(file, `missing "${field}" field`);
  return envelope as KeyFileEnvelope;
}

function parseEntries(file: string, json: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new KeyFileCorruptError(file, 'the decrypted contents are not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new KeyFileCorruptError(file, 'the decrypted contents are not a key map');
  const entries: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [account, secret] of Object.entries(parsed)) {
    if (typeof secret !== 'string') throw new KeyFileCorruptError(file, 'the decrypted contents are not a key map');
    entries[account] = secret;
  }
  return entries;
}
