import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE, Enclave } from '../src-main/core/Enclave';
import type { Conversation } from '../src-main/core/shared/types';
import { startFakeProvider } from './support/fakeProviders';
import { ensureTestModel } from './support/writeTestModel';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const launcher = join(repoRoot, 'bin', 'enclave.js');
const builtCli = join(repoRoot, 'out', 'main', 'cli.js');
const CLI_TIMEOUT_MS = 60_000;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();

/** At most this many CLI processes at once: the tests run concurrently, the machine has 2 CPUs. */
const MAX_CHILDREN = 2;
const waiting: (() => void)[] = [];
let active = 0;
async function withChildSlot<T>(run: () => Promise<T>): Promise<T> {
  if (active >= MAX_CHILDREN) await new Promise<void>((resolveSlot) => waiting.push(resolveSlot));
  active++;
  try {
    return await run();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

let scratch: string;
/** HOME and XDG_CONFIG_HOME for the children: nothing may land in the real per-user folder. */
let fakeHome: string;

function newDir(prefix: string): string {
  return mkdtempSync(join(scratch, `${prefix}-`));
}

/**
 * A `--import` preload under which any attempt to resolve "electron", through import (a module
 * resolve hook) or require (Module._resolveFilename), throws. Writes a marker file when
 * ELECTRON_GUARD_MARKER is set, so a test can prove it was active. (Only one run uses it: the
 * off-thread resolve hook makes startup much slower.)
 */
function writeElectronGuard(dir: string): string[] {
  const hooks = join(dir, 'hooks.mjs');
  const guard = join(dir, 'guard.mjs');
  writeFileSync(
    hooks,
    `export async function resolve(specifier, context, next) {
  if (specifier === 'electron' || specifier.startsWith('electron/')) throw new Error('ELECTRON_LOADED: import ' + specifier);
  return next(specifier, context);
}
`
  );
  writeFileSync(
    guard,
    `import Module, { register } from 'node:module';
import { writeFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'electron' || request.startsWith('electron/')) throw new Error('ELECTRON_LOADED: require ' + request);
  return resolveFilename.call(this, request, ...rest);
};
if (process.env.ELECTRON_GUARD_MARKER) writeFileSync(process.env.ELECTRON_GUARD_MARKER, String(process.pid));
`
  );
  return ['--import', pathToFileURL(guard).href];
}
let guardArgs: string[];

/** Runs `node [nodeArgs] bin/enclave.js args` and collects its output; killed if it outlives the timeout. */
function runCli(
  args: string[],
  { input, env = {}, nodeArgs = [] }: { input?: string; env?: Record<string, string>; nodeArgs?: string[] } = {}
): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOME: fakeHome, XDG_CONFIG_HOME: join(fakeHome, '.config'), ...env };
  if (!('ENCLAVE_DATA_DIR' in env)) delete childEnv.ENCLAVE_DATA_DIR;
  delete childEnv.NODE_OPTIONS;
  return withChildSlot(
    () =>
      new Promise<CliResult>((resolvePromise, reject) => {
        const child = spawn(process.execPath, [...nodeArgs, launcher, ...args], { cwd: repoRoot, env: childEnv, stdio: 'pipe' });
        running.add(child);
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`enclave ${args.join(' ')} did not finish within ${CLI_TIMEOUT_MS} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
        }, CLI_TIMEOUT_MS);
        child.on('error', (error) => {
          clearTimeout(timer);
          running.delete(child);
          reject(error);
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          running.delete(child);
          resolvePromise({ code, signal, stdout, stderr });
        });
        child.stdin.on('error', () => {}); // a command that never reads stdin may close it first
        child.stdin.end(input);
      })
  );
}

/** Opens the data folder the CLI wrote, reads what the test needs, and closes it again. */
async function readDataDir<T>(dataDir: string, read: (enclave: Enclave) => T): Promise<T> {
  const enclave = Enclave.open({ dataDir });
  try {
    return read(enclave);
  } finally {
    await enclave.dispose();
  }
}

function summaryOf(result: CliResult) {
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, result.stderr).toHaveLength(1);
  const line = lines[0]!;
  const conversationId = line.match(new RegExp(`conversation (${UUID.source})$`))?.[1];
  const backend = line.match(/· (cpu|cuda|vulkan|metal) \(\d+\/\d+ layers on GPU\)/)?.[1];
  const promptTokens = Number(line.match(/prompt (\d+) tok/)?.[1]);
  expect(conversationId, line).toBeDefined();
  expect(backend, line).toBeDefined();
  return { line, conversationId: conversationId!, backend: backend!, promptTokens };
}

/** Every module specifier a built file imports (static, dynamic, re-export, require). */
function importSpecifiers(source: string): string[] {
  const patterns = [
    /\bimport\s*(?:[\w*$\s{},]*?\s*from\s*)?["']([^"']+)["']/g,
    /\bexport\s*[\w*$\s{},]*?\s*from\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]!));
}

/** Follows relative imports from `entry` through the build output; returns the files and the bare specifiers. */
function walkImports(entry: string): { files: string[]; external: Set<string> } {
  const files: string[] = [];
  const external = new Set<string>();
  const pending = [resolve(entry)];
  while (pending.length) {
    const file = pending.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.') || specifier.startsWith('/')) pending.push(resolve(dirname(file), specifier));
      else external.add(specifier);
    }
  }
  return { files, external };
}

const isElectron = (specifier: string) => specifier === 'electron' || specifier.startsWith('electron/');

// Each test has its own data folder, so they run concurrently (runCli caps the processes).
describe.concurrent('the enclave CLI (built, as a child process)', () => {
  let modelPath: string;
  let modelName: string;

  beforeAll(async () => {
    if (!existsSync(builtCli)) {
      execFileSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'pipe', timeout: 170_000 });
    }
    expect(existsSync(builtCli)).toBe(true);
    modelPath = await ensureTestModel();
    modelName = basename(modelPath);
    scratch = mkdtempSync(join(tmpdir(), 'enclave-cli-'));
    fakeHome = newDir('home');
    guardArgs = writeElectronGuard(newDir('guard'));
  });

  afterAll(() => {
    for (const child of running) child.kill('SIGKILL');
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe('chat', () => {
    it('streams the reply to stdout, one summary line to stderr, and saves the conversation', async () => {
      const dataDir = newDir('data');
      const result = await runCli(['chat', '--model', modelPath, '--data-dir', dataDir, '--max-tokens', '16', 'hello']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.endsWith('\n')).toBe(true);
      const reply = result.stdout.slice(0, -1);
      expect(reply.length).toBeGreaterThan(0);

      const summary = summaryOf(result);
      expect(summary.line.startsWith(`${modelName} · `)).toBe(true);
      expect(summary.line).toMatch(/ · \d+\.\d tok\/s · /);
      expect(summary.line).toContain('completion 16 tok');
      expect(summary.promptTokens).toBeGreaterThan(0);

      const conversations = await readDataDir(dataDir, (enclave) => enclave.conversations.list());
      expect(conversations.map((c) => c.id)).toEqual([summary.conversationId]);
      const conversation = await readDataDir(dataDir, (enclave) => enclave.conversations.get(summary.conversationId));
      expect(conversation.title).toBe('hello');
      expect(conversation.sampling.maxTokens).toBe(16);
      expect(conversation.messages.map((m) => [m.role, m.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'complete']
      ]);
      expect(conversation.messages[0]!.content).toBe('hello');
      const assistant = conversation.messages[1]!;
      expect(assistant.content).toBe(reply);
      expect(assistant.metrics).toMatchObject({
        model: modelName,
        backend: summary.backend,
        completionTokens: 16,
        promptTokens: summary.promptTokens
      });
      expect(assistant.metrics!.tokensPerSecond).toBeGreaterThan(0);
      expect(summary.line).toContain(`${assistant.metrics!.tokensPerSecond.toFixed(1)} tok/s`);
    });

    it('reads the prompt from stdin with "-"', async () => {
      const dataDir = newDir('data');
      const prompt = 'A question from stdin\nwith a second line';
      const result = await runCli(['chat', '--model', modelPath, '--data-dir', dataDir, '--max-tokens', '4', '-'], { input: prompt });
      expect(result.code, result.stderr).toBe(0);
      const { conversationId } = summaryOf(result);
      const conversation = await readDataDir(dataDir, (enclave) => enclave.conversations.get(conversationId));
      expect(conversation.messages[0]!.content).toBe(prompt);
      expect(conversation.title).toBe('A question from stdin with a second line');
      expect(conversation.messages[1]!.content).toBe(result.stdout.slice(0, -1));

      const empty = await runCli(['chat', '--model', modelPath, '--data-dir', dataDir, '-'], { input: '  \n ' });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain('A prompt is required');
    });

    it('--conversation ID continues an existing conversation; an unknown ID fails', async () => {
      const dataDir = newDir('data');
      const first = await runCli(['chat', '--model', modelPath, '--data-dir', dataDir, '--max-tokens', '4', 'first question']);
      expect(first.code, first.stderr).toBe(0);
      const { conversationId } = summaryOf(first);
      const second = await runCli([
        'chat',
        '--model',
        modelPath,
        '--data-dir',
        dataDir,
        '--conversation',
        conversationId,
        '--max-tokens',
        '6',
        'follow up'
      ]);
      expect(second.code, second.stderr).toBe(0);
      const summary = summaryOf(second);
      expect(summary.conversationId).toBe(conversationId);
      // The second prompt carries the whole first exchange.
      expect(summary.promptTokens).toBeGreaterThan(summaryOf(first).promptTokens + 4);

      const conversation: Conversation = await readDataDir(dataDir, (enclave) => enclave.conversations.get(conversationId));
      expect(conversation.messages.map((m) => [m.role, m.content])).toEqual([
        ['user', 'first question'],
        ['assistant', first.stdout.slice(0, -1)],
        ['user', 'follow up'],
        ['assistant', second.stdout.slice(0, -1)]
      ]);
      expect(conversation.messages[3]!.metrics?.completionTokens).toBe(6);
      expect(conversation.title).toBe('first question');
      expect(await readDataDir(dataDir, (enclave) => enclave.conversations.list())).toHaveLength(1);

      const unknown = await runCli(['chat', '--model', modelPath, '--data-dir', dataDir, '--conversation', 'not-a-real-id', 'hi']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('Conversation not-a-real-id does not exist');
      expect(unknown.stdout).toBe('');
    });

    it('--system sets the system prompt, which the model sees', async () => {
      const dataDir = newDir('data');
      const system = 'You are a pirate who answers every question in rhyme. '.repeat(4).trim();
      const chat = (extra: string[]) =>
        runCli(['chat', '--model', modelPath, '--data-dir', dataDir, '--max-tokens', '4', ...extra, 'hello']);
      const [withSystem, without] = await Promise.all([chat(['--system', system]), chat([])]);
      expect(withSystem.code, withSystem.stderr).toBe(0);
      expect(without.code, without.stderr).toBe(0);
      const summary = summaryOf(withSystem);
      const conversation = await readDataDir(dataDir, (enclave) => enclave.conversations.get(summary.conversationId));
      expect(conversation.systemPrompt).toBe(system);
      expect(conversation.messages[1]!.metrics?.promptTokens).toBe(summary.promptTokens);
      // 4 × 10 words of system prompt reach the model.
      expect(summary.promptTokens).toBeGreaterThan(summaryOf(without).promptTokens + 30);
      const plain = await readDataDir(dataDir, (enclave) => enclave.conversations.get(summaryOf(without).conversationId));
      expect(plain.systemPrompt).toBe('');
    });
  });

  describe('errors and usage', () => {
    it('a missing model file: exit 1, "No model file" on stderr, nothing on stdout', async () => {
      const dataDir = newDir('data');
      const result = await runCli(['chat', '--model', join(dataDir, 'nope.gguf'), '--data-dir', dataDir, 'hello']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('No model file');
      expect(result.stderr).toContain('nope.gguf');
      expect(result.stdout).toBe('');
      expect(await readDataDir(dataDir, (enclave) => enclave.conversations.list())).toEqual([]);
    });

    it('a file that is not GGUF: exit 1, "not a GGUF"', async () => {
      const dataDir = newDir('data');
      const file = join(dataDir, 'readme.gguf');
      writeFileSync(file, 'This is a text file.');
      const result = await runCli(['chat', '--model', file, '--data-dir', dataDir, 'hello']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('not a GGUF');
      expect(result.stdout).toBe('');
    });

    it('no --model: exit 2 with the chat usage', async () => {
      const dataDir = newDir('data');
      const result = await runCli(['chat', '--data-dir', dataDir, 'hello']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--model PATH is required');
      expect(result.stderr).toContain('Usage: enclave chat --model PATH');
      expect(result.stdout).toBe('');
    });

    it('bad flag values and unknown flags: exit 2 before anything is opened', async () => {
      const dataDir = join(scratch, 'never-created');
      const cases = [
        [['--max-tokens', 'abc'], '--max-tokens must be a positive whole number (got "abc")'],
        [['--bogus'], "Unknown option '--bogus'"]
      ] as const;
      const results = await Promise.all(
        cases.map(([args]) => runCli(['chat', '--model', modelPath, '--data-dir', dataDir, ...args, 'hello']))
      );
      results.forEach((result, i) => {
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain(cases[i]![1]);
        expect(result.stderr).toContain('Usage: enclave chat');
        expect(result.stdout).toBe('');
      });
      expect(existsSync(dataDir)).toBe(false);
    });

    it('an unknown command: exit 2 with the overview', async () => {
      const result = await runCli(['frobnicate', '--now']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('unknown command "frobnicate"');
      expect(result.stderr).toContain('Usage: enclave <command>');
      expect(result.stdout).toBe('');
    });

    it('--help: exit 0 with usage; no command at all: exit 2', async () => {
      const [help, chatHelp, none] = await Promise.all([runCli(['--help']), runCli(['chat', '-h']), runCli([])]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: enclave <command> [options]');
      for (const command of ['chat', 'tune', 'serve']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      expect(help.stderr).toBe('');
      expect(chatHelp.code).toBe(0);
      expect(chatHelp.stdout).toContain('Usage: enclave chat --model PATH');
      expect(chatHelp.stdout).toContain('Use "-" as the prompt to read it from stdin');
      expect(none.code).toBe(2);
      expect(none.stdout).toContain('Usage: enclave <command>');
      expect(existsSync(join(fakeHome, '.config', 'Enclave'))).toBe(false);
    });
  });

  it('tune prints a line per thread count and the best; a second run answers from the cache', async () => {
    const dataDir = newDir('data');
    const first = await runCli(['tune', '--model', modelPath, '--data-dir', dataDir]);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    const samples = lines.slice(0, -1);
    expect(samples.length).toBeGreaterThanOrEqual(1);
    for (const line of samples) expect(line).toMatch(/^\s*\d+ threads\s+\d+\.\d tok\/s(  ← best)?$/);
    const best = Number(lines.at(-1)!.match(/^best: (\d+) threads?$/)?.[1]);
    expect(best).toBeGreaterThanOrEqual(1);
    expect(samples.filter((line) => line.includes('← best'))).toEqual([samples.find((line) => line.trim().startsWith(`${best} threads`))]);
    expect(first.stderr).toMatch(new RegExp(`^\\[1/${samples.length}\\] 1 thread: \\d+\\.\\d tok/s$`, 'm'));
    expect(first.stderr).not.toContain('cached');

    const second = await runCli(['tune', '--model', modelPath, '--data-dir', dataDir]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('(cached result; --force measures again)');
    expect(second.stderr).not.toMatch(/^\[1\//m);
    expect(second.stdout).toBe(first.stdout);
  });

  it('uses ENCLAVE_DATA_DIR when --data-dir is absent, and --data-dir wins over it', async () => {
    const fromEnv = newDir('env-data');
    const result = await runCli(['chat', '--model', modelPath, '--max-tokens', '4', 'from the environment'], {
      env: { ENCLAVE_DATA_DIR: fromEnv }
    });
    expect(result.code, result.stderr).toBe(0);
    const { conversationId } = summaryOf(result);
    expect(existsSync(join(fromEnv, DATABASE_FILE))).toBe(true);
    expect(await readDataDir(fromEnv, (enclave) => enclave.conversations.list().map((c) => c.id))).toEqual([conversationId]);
    expect(existsSync(join(fakeHome, '.config', 'Enclave'))).toBe(false);

    const flagDir = join(scratch, 'flag-data');
    const ignoredEnvDir = join(scratch, 'ignored-env-data');
    const precedence = await runCli(['chat', '--model', modelPath, '--data-dir', flagDir, '--max-tokens', '4', 'flag wins'], {
      env: { ENCLAVE_DATA_DIR: ignoredEnvDir }
    });
    expect(precedence.code, precedence.stderr).toBe(0);
    const fromFlag = summaryOf(precedence).conversationId;
    expect(await readDataDir(flagDir, (enclave) => enclave.conversations.list().map((c) => c.id))).toEqual([fromFlag]);
    expect(existsSync(ignoredEnvDir)).toBe(false);
  });

  // POSIX modes; the child runs with the test's umask (022), under which plain mkdir/SQLite give 0755/0644.
  describe.skipIf(process.platform === 'win32')('data folder permissions', () => {
    const mode = (path: string) => statSync(path).mode & 0o777;

    it('creates the data folder 0700 and the database 0600, and tightens older -wal/-shm files', async () => {
      const dataDir = join(newDir('perm'), 'new', 'Enclave');
      const first = await runCli(['provider', 'list', '--data-dir', dataDir]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toBe('');
      const file = join(dataDir, DATABASE_FILE);
      expect([mode(dataDir), mode(dirname(dataDir)), mode(file)]).toEqual([0o700, 0o700, 0o600]);

      // An older version left the database and its sidecars 0644; a connection held open here
      // keeps the -wal and -shm in place while the CLI runs again.
      const holder = new Database(file);
      try {
        holder.prepare('SELECT count(*) FROM sqlite_master').get();
        for (const path of [file, `${file}-wal`, `${file}-shm`]) chmodSync(path, 0o644);
        const second = await runCli(['provider', 'list', '--data-dir', dataDir]);
        expect(second.code, second.stderr).toBe(0);
        expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
      } finally {
        holder.close();
      }
    });

    it('warns on stderr about a data folder others can read, and leaves its mode alone', async () => {
      const dataDir = join(newDir('perm'), 'shared');
      mkdirSync(dataDir, { mode: 0o755 });
      chmodSync(dataDir, 0o755);
      const result = await runCli(['provider', 'list', '--data-dir', dataDir]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/No providers yet/);
      expect(result.stderr).toContain(`warning: The data folder ${dataDir} can be reached by other users (mode 0755)`);
      expect(mode(dataDir)).toBe(0o755);
      expect(mode(join(dataDir, DATABASE_FILE))).toBe(0o600);
    });
  });

  describe('provider', () => {
    it('adds a provider, stores its key in the OS keychain from stdin, tests it, and the key is found nowhere else', async () => {
      const dataDir = newDir('data');
      const apiKey = `sk-cli-${randomBytes(18).toString('hex')}`;
      const fake = await startFakeProvider({ wire: 'openai', apiKey });
      try {
        const added = await runCli(['provider', 'add', 'openai', '--name', 'acme', '--base-url', fake.baseUrl, '--data-dir', dataDir]);
        expect(added.code, added.stderr).toBe(0);
        expect(added.stdout).toContain('Added acme (openai');

        // A key is never taken from the arguments (shell history, process lists).
        const onArgv = await runCli(['provider', 'key', 'acme', apiKey, '--data-dir', dataDir]);
        expect(onArgv.code).toBe(2);
        expect(onArgv.stderr).toMatch(/read from stdin, never from arguments/);

        const untested = await runCli(['provider', 'test', 'acme', '--data-dir', dataDir]);
        expect(untested.code).toBe(1);
        expect(untested.stderr).toMatch(/no API key|rejected/i);

        const stored = await runCli(['provider', 'key', 'acme', '--data-dir', dataDir], { input: `${apiKey}\n` });
        expect(stored.code, stored.stderr).toBe(0);
        expect(stored.stdout).toContain(`····${apiKey.slice(-4)}`);
        expect(stored.stdout).toMatch(/OS keychain/);

        const tested = await runCli(['provider', 'test', 'acme', '--data-dir', dataDir]);
        expect(tested.code, tested.stderr).toBe(0);
        expect(tested.stdout).toContain('acme/gpt-fake-1');
        expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${apiKey}`);

        const chat = await runCli(['chat', '--cloud', 'acme/gpt-fake-1', '--data-dir', dataDir, 'hello from the terminal']);
        expect(chat.code, chat.stderr).toBe(0);
        expect(chat.stdout).toBe('You said: hello from the terminal\n');
        expect(chat.stderr).toMatch(/^acme\/gpt-fake-1 · cloud via acme · prompt \d+ tok · completion \d+ tok/);

        const listed = await runCli(['provider', 'list', '--json', '--data-dir', dataDir]);
        expect(listed.code, listed.stderr).toBe(0);
        const [provider] = JSON.parse(listed.stdout);
        expect(provider).toMatchObject({
          name: 'acme',
          kind: 'openai',
          key: { set: true, last4: apiKey.slice(-4) },
          health: { state: 'untested' } // health is per process; the CLI reports what this run knows
        });

        // Not in the database (WAL included), the data folder or anything the CLI printed.
        const printed = [added, onArgv, untested, stored, tested, chat, listed].map((r) => r.stdout + r.stderr).join('\n');
        expect(printed).not.toContain(apiKey);
        const encodings = [apiKey, Buffer.from(apiKey).toString('base64'), Buffer.from(apiKey).toString('hex')];
        for (const file of readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())) {
          const bytes = readFileSync(join(file.parentPath, file.name)).toString('latin1');
          for (const encoded of encodings) expect(bytes.includes(encoded), `${file.name} holds the key`).toBe(false);
        }
      } finally {
        await fake.close();
      }
    });

    it('rm deletes the provider and its keychain entry; bad names and kinds are usage errors', async () => {
      const dataDir = newDir('data');
      expect((await runCli(['provider', 'add', 'mistral', '--name', 'm1', '--data-dir', dataDir])).code).toBe(0);
      expect((await runCli(['provider', 'key', 'm1', '--data-dir', dataDir], { input: 'mk-0123456789abcdef' })).code).toBe(0);
      const removed = await runCli(['provider', 'rm', 'm1', '--data-dir', dataDir]);
      expect(removed.code, removed.stderr).toBe(0);
      const listed = await runCli(['provider', 'list', '--data-dir', dataDir]);
      expect(listed.stdout).toMatch(/No providers yet/);
      // Re-adding under the same name finds no leftover key.
      await runCli(['provider', 'add', 'mistral', '--name', 'm1', '--data-dir', dataDir]);
      expect(JSON.parse((await runCli(['provider', 'list', '--json', '--data-dir', dataDir])).stdout)[0].key).toEqual({
        set: false,
        last4: null
      });

      expect((await runCli(['provider', 'add', 'bogus', '--name', 'x', '--data-dir', dataDir])).stderr).toMatch(/KIND must be one of/);
      expect((await runCli(['provider', 'add', 'openai', '--name', 'Bad/Name', '--data-dir', dataDir])).code).toBe(2);
      expect((await runCli(['provider', 'add', 'openai-compatible', '--name', 'local', '--data-dir', dataDir])).stderr).toMatch(
        /needs a base URL/
      );
      expect((await runCli(['provider', 'test', 'nobody', '--data-dir', dataDir])).stderr).toMatch(/no provider named "nobody"/);
      expect((await runCli(['provider', 'key', 'm1', '--data-dir', dataDir], { input: '' })).stderr).toMatch(/no key on stdin/);
    });

    it('without a keychain service, refuses to store a key and says how to opt into the encrypted file', async () => {
      const dataDir = newDir('data');
      await runCli(['provider', 'add', 'groq', '--name', 'g', '--data-dir', dataDir]);
      const env = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' };
      const refused = await runCli(['provider', 'key', 'g', '--data-dir', dataDir], { input: 'gsk_0123456789abcdefghij', env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/keychain/i);
      expect(refused.stderr).toMatch(/ENCLAVE_KEY_STORE=encrypted-file/);
      expect(readdirSync(dataDir).filter((f) => f.startsWith('keys'))).toEqual([]);

      const optIn = { ...env, ENCLAVE_KEY_STORE: 'encrypted-file', ENCLAVE_KEY_PASSPHRASE: 'correct horse battery staple' };
      const stored = await runCli(['provider', 'key', 'g', '--data-dir', dataDir], { input: 'gsk_0123456789abcdefghij', env: optIn });
      expect(stored.code, stored.stderr).toBe(0);
      expect(stored.stdout).toMatch(/encrypted file/);
      expect(readFileSync(join(dataDir, 'keys.enc'), 'utf8')).not.toContain('gsk_0123456789abcdefghij');
    });
  });

  describe('never loads Electron', () => {
    it('no file of the built CLI imports electron', () => {
      const { files, external } = walkImports(builtCli);
      expect(files.length).toBeGreaterThanOrEqual(2);
      expect(files.some((file) => file.includes(`${join('out', 'main', 'chunks')}`))).toBe(true);
      // The walker sees real imports (and would see electron: the app's entry does import it).
      expect(external).toContain('node-llama-cpp');
      expect(external).toContain('better-sqlite3');
      expect([...walkImports(join(repoRoot, 'out', 'main', 'index.js')).external].some(isElectron)).toBe(true);
      expect([...external].filter(isElectron)).toEqual([]);
    });

    it('runs a whole chat with any attempt to load electron made fatal', async () => {
      // The guard works: both module systems are stopped from reaching electron.
      const probe = (code: string, type: string) =>
        new Promise<{ code: number | null; stderr: string }>((done) => {
          const child = spawn(process.execPath, [...guardArgs, `--input-type=${type}`, '-e', code], { cwd: repoRoot, stdio: 'pipe' });
          running.add(child);
          let stderr = '';
          child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
          child.on('close', (exit) => {
            running.delete(child);
            done({ code: exit, stderr });
          });
        });
      const [esm, cjs] = await Promise.all([probe("await import('electron')", 'module'), probe("require('electron')", 'commonjs')]);
      expect(esm.code).not.toBe(0);
      expect(esm.stderr).toContain('ELECTRON_LOADED: import electron');
      expect(cjs.code).not.toBe(0);
      expect(cjs.stderr).toContain('ELECTRON_LOADED: require electron');

      const dataDir = newDir('data');
      const marker = join(dataDir, 'guard-active');
      const result = await runCli(['chat', '--model', modelPath, '--data-dir', dataDir, '--max-tokens', '4', 'no electron here'], {
        env: { ELECTRON_GUARD_MARKER: marker },
        nodeArgs: guardArgs
      });
      expect(existsSync(marker)).toBe(true);
      expect(result.stderr).not.toContain('ELECTRON_LOADED');
      expect(result.code, result.stderr).toBe(0);
      expect(summaryOf(result).line).toContain(modelName);
    });
  });
});
