import { createRequire } from 'node:module';
import { KeychainError, KeychainUnavailableError } from './errors';
import { checkAccount, KEYCHAIN_SERVICE, normalizeApiKey, type KeyStore } from './KeyStore';
import { ErrorCode } from '../../shared/errorCodes';

export type Keytar = typeof import('keytar');

export interface KeychainKeyStoreOptions {
  /**
   * The keytar module to use. The Electron adapter passes its Electron-ABI build (loadKeytar in
   * src-main/electron/nativeModules.ts); otherwise node_modules' keytar is loaded on first use.
   */
  keytar?: Keytar;
  /** How long open() waits for the keychain to answer before declaring it unavailable (a hung D-Bus must not hang the app). */
  probeTimeoutMs?: number;
  /** How long get/set/delete wait; longer than the probe because the OS may be showing an unlock prompt. */
  operationTimeoutMs?: number;
  platform?: NodeJS.Platform;
}

export const DEFAULT_KEYCHAIN_PROBE_TIMEOUT_MS = 5_000;
export const DEFAULT_KEYCHAIN_OPERATION_TIMEOUT_MS = 120_000;

/** Looked up (never written) by open(): an account nobody stores, so the probe reads no secret. */
const PROBE_ACCOUNT = '__enclave_keychain_probe__';

// Messages from libsecret/GLib (through keytar) that mean "there is no usable keychain" rather than
// "this one operation failed": no D-Bus session, no Secret Service, no default (login) collection.
const UNAVAILABLE_PATTERNS = [
  /autolaunch D-Bus/i,
  /Could not connect/i,
  /org\.freedesktop\.secrets/i,
  /org\.freedesktop\.DBus\.Error/i,
  /not provided by any \.service files/i,
  /\/org\/freedesktop\/secrets\/collection\//i,
  /locked collection/i
];

class TimeoutError extends Error {}

/**
 * API keys in the OS keychain through keytar: the macOS Keychain, the Windows Credential Manager, or a
 * Secret Service provider on Linux (GNOME Keyring, KWallet). Service KEYCHAIN_SERVICE, one account
 * per provider. Nothing is cached: every get asks the keychain.
 */
export class KeychainKeyStore implements KeyStore {
  readonly kind = 'keychain' as const;
  readonly description: string;

  private constructor(
    private readonly keytar: Keytar,
    private readonly operationTimeoutMs: number,
    private readonly platform: NodeJS.Platform
  ) {
    this.description = `the OS keychain (${platform === 'darwin' ? 'macOS Keychain' : platform === 'win32' ? 'Windows Credential Manager' : 'Secret Service'})`;
  }

  /**
   * Loads keytar if needed and checks that the keychain answers. Throws KeychainUnavailableError when
   * it does not (no D-Bus session, no Secret Service, no answer within probeTimeoutMs): there is no
   * fallback here, choosing the encrypted file is the user's explicit decision (see openKeyStore).
   */
  static async open(options: KeychainKeyStoreOptions = {}): Promise<KeychainKeyStore> {
    const platform = options.platform ?? process.platform;
    const probeTimeoutMs = options.probeTimeoutMs ?? DEFAULT_KEYCHAIN_PROBE_TIMEOUT_MS;
    const keytar = options.keytar ?? loadNodeKeytar(platform);
    try {
      await withTimeout(keytar.getPassword(KEYCHAIN_SERVICE, PROBE_ACCOUNT), probeTimeoutMs);
    } catch (error) {
      if (error instanceof TimeoutError)
        throw new KeychainUnavailableError(`the keychain did not answer within ${probeTimeoutMs} ms`, { platform });
      throw new KeychainUnavailableError(messageOf(error), { cause: error, platform });
    }
    return new KeychainKeyStore(keytar, options.operationTimeoutMs ?? DEFAULT_KEYCHAIN_OPERATION_TIMEOUT_MS, platform);
  }

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    const secret = await this.call('read', account, () => this.keytar.getPassword(KEYCHAIN_SERVICE, account));
    return secret ? secret : null;
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    const key = normalizeApiKey(secret);
    await this.call('store', account, () => this.keytar.setPassword(KEYCHAIN_SERVICE, account, key), key);
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    return this.call('delete', account, () => this.keytar.deletePassword(KEYCHAIN_SERVICE, account));
  }

  private async call<T>(verb: string, account: string, operation: () => Promise<T>, secret?: string): Promise<T> {
    try {
      return await withTimeout(operation(), this.operationTimeoutMs);
    } catch (error) {
      if (error instanceof TimeoutError)
        throw new KeychainError(
          `${this.description} did not answer within ${Math.round(this.operationTimeoutMs / 1000)} s when asked to ${verb} the API key for "${account}" ` +
            `(an unlock prompt may be waiting).`,
          { code: ErrorCode.KeychainTimeout }
        );
      const raw = messageOf(error);
      // keytar's messages come from the OS and do not quote the password; make sure of it anyway.
      const detail = secret && raw.includes(secret) ? raw.split(secret).join('[redacted]') : raw;
      const cause = detail === raw ? error : new Error(detail);
      if (UNAVAILABLE_PATTERNS.some((pattern) => pattern.test(detail)))
        throw new KeychainUnavailableError(detail, { cause, platform: this.platform });
      throw new KeychainError(`Could not ${verb} the API key for "${account}" in ${this.description}: ${detail}`, { cause });
    }
  }
}

/** node_modules' keytar (Node ABI), for the CLI, the server and the tests. */
function loadNodeKeytar(platform: NodeJS.Platform): Keytar {
  try {
    return createRequire(import.meta.url)('keytar') as Keytar;
  } catch (error) {
    throw new KeychainUnavailableError(`the keytar native module could not be loaded: ${messageOf(error)}`, { cause: error, platform });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Races the promise against a timer. A hung keytar call keeps its worker thread, but the caller gets an answer. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
