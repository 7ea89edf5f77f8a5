import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { KeychainBackend } from './KeychainBackend';

export const NAPI_KEYRING_MODULE = '@napi-rs/keyring';

// Runs in a worker thread: on Linux the binding's Entry constructor connects to D-Bus synchronously,
// so a session bus that accepts but never answers would freeze the thread that calls it (measured:
// still blocked after 40 s). In a worker only the worker waits; the caller's timeouts still fire.
// Entries are pinned to the Secret Service: without that the binding silently falls back to the
// kernel keyring, which forgets everything at reboot.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Entry } = require(workerData.binary);
const options = { linux: { store: 'secret-service' } };
parentPort.on('message', ({ id, op, service, account, password }) => {
  try {
    const entry = new Entry(service, account, options);
    const value = op === 'get' ? entry.getPassword() : op === 'set' ? entry.setPassword(password) : entry.deletePassword();
    parentPort.postMessage({ id, value: value === undefined ? null : value });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

type Operation =
  | { op: 'get'; service: string; account: string }
  | { op: 'set'; service: string; account: string; password: string }
  | { op: 'delete'; service: string; account: string };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The OS keychain through @napi-rs/keyring (keyring-rs; N-API, so the same prebuilt binary loads in
 * Node and in Electron): the macOS Keychain, the Windows Credential Manager, the Secret Service on Linux.
 */
export class NapiKeyringBackend implements KeychainBackend {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  private constructor(private readonly binary: string) {}

  /** Throws when the binding or its prebuilt binary for this platform cannot be loaded. */
  static load(): NapiKeyringBackend {
    const require = createRequire(import.meta.url);
    // Loading the addon connects to nothing; it shows here, not on the first call, when it is missing.
    // Its JS picks this platform's prebuilt binary, which the worker then loads directly: a plain
    // file (asarUnpack's '**/*.node' when packaged), so the JS stays in app.asar under its integrity check.
    require(NAPI_KEYRING_MODULE);
    const binary = Object.keys(require.cache).find((file) => /[\\/]@napi-rs[\\/]keyring[^\\/]*[\\/][^\\/]+\.node$/.test(file));
    if (!binary) throw new Error(`${NAPI_KEYRING_MODULE} loaded no native binary`);
    const unpacked = binary.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
    return new NapiKeyringBackend(unpacked !== binary && existsSync(unpacked) ? unpacked : binary);
  }

  getPassword(service: string, account: string): Promise<string | null> {
    return this.send({ op: 'get', service, account }) as Promise<string | null>;
  }

  async setPassword(service: string, account: string, password: string): Promise<void> {
    await this.send({ op: 'set', service, account, password });
  }

  deletePassword(service: string, account: string): Promise<boolean> {
    return this.send({ op: 'delete', service, account }) as Promise<boolean>;
  }

  private send(operation: Operation): Promise<unknown> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Keeps the process alive only while a call is waiting.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, ...operation });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { binary: this.binary } });
    worker.unref();
    worker.on('message', (message: { id: number; value?: unknown; error?: string }) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.error !== undefined) pending.reject(new Error(message.error));
      else pending.resolve(message.value);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the ${NAPI_KEYRING_MODULE} worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
