import { createRequire } from 'node:module';
import { KeychainError, KeychainUnavailableError } from './errors';
import type { KeychainBackend } from './KeychainBackend';
import { checkAccount, KEYCHAIN_SERVICE, normalizeApiKey, type KeyStore } from './KeyStore';
import { NAPI_KEYRING_MODULE, NapiKeyringBackend } from './NapiKeyringBackend';
import { ErrorCode } from '../../shared/errorCodes';

export type Keytar = typeof import('keytar');

export interface KeychainKeyStoreOptions {
  /** The binding that holds the keys. Default: @napi-rs/keyring, or keytar where that cannot be loaded. */
  backend?: KeychainBackend;
  /**
   * keytar, the binding of earlier versions: a key found only there is moved into the backend when it
   * is read. The Electron adapter passes its Electron-ABI build (loadKeytar in
   * src-main/electron/nativeModules.ts); by default node_modules' keytar is loaded when it can be.
   * null: keytar is not consulted.
   */
  legacy?: KeychainBackend | null;
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

// Messages from libsecret/GLib (keytar) and from keyring-rs/libdbus (@napi-rs/keyring) that mean "there is no usable keychain" rather than
// "this one operation failed": no D-Bus session, no Secret Service, no default (login) collection.
const UNAVAILABLE_PATTERNS = [
  /autolaunch/i,
  /Could not connect/i,
  /Failed to connect to socket/i,
  /org\.freedesktop\.secrets/i,
  /org\.freedesktop\.DBus\.Error/i,
  /not provided by any \.service files/i,
  /\/org\/freedesktop\/secrets\/collection\//i,
  /locked collection/i
];

class TimeoutError extends Error {}

/**
 * API keys in the OS keychain through a KeychainBackend (@napi-rs/keyring by default): the macOS
 * Keychain, the Windows Credential Manager, or a Secret Service provider on Linux (GNOME Keyring,
 * KWallet). Service KEYCHAIN_SERVICE, one account per provider. Nothing is cached: every get asks the keychain.
 *
 * Keys that earlier versions stored through keytar move over one at a time, when read: keytar and
 * keyring-rs keep separate entries on Linux (libsecret attribute "account" vs "username") and on
 * Windows (target "Enclave/<account>" vs "<account>.Enclave"), and share the same item on macOS.
 * keytar is asked only about an account the backend has no key for, so a shared item is never
 * touched through it. keytar's findCredentials is never called: it crashes the process (strdup of
 * a NULL "account" attribute) as soon as the service holds an entry keyring-rs wrote.
 */
export class KeychainKeyStore implements KeyStore {
  readonly kind = 'keychain' as const;
  readonly description: string;

  private constructor(
    private readonly backend: KeychainBackend,
    private readonly legacy: KeychainBackend | null,
    private readonly operationTimeoutMs: number,
    private readonly platform: NodeJS.Platform
  ) {
    this.description = `the OS keychain (${platform === 'darwin' ? 'macOS Keychain' : platform === 'win32' ? 'Windows Credential Manager' : 'Secret Service'})`;
  }

  /**
   * Loads the binding if needed and checks that the keychain answers.
   * Throws KeychainUnavailableError when the keychain does not answer (no D-Bus session, no Secret
   * Service, no answer within probeTimeoutMs): there is no fallback here, choosing the encrypted file
   * is the user's explicit decision (see openKeyStore).
   */
  static async open(options: KeychainKeyStoreOptions = {}): Promise<KeychainKeyStore> {
    const platform = options.platform ?? process.platform;
    const probeTimeoutMs = options.probeTimeoutMs ?? DEFAULT_KEYCHAIN_PROBE_TIMEOUT_MS;
    const legacy = options.legacy !== undefined ? options.legacy : loadNodeKeytar();
    const backend = options.backend ?? loadBackend(legacy, platform);
    try {
      await withTimeout(backend.getPassword(KEYCHAIN_SERVICE, PROBE_ACCOUNT), probeTimeoutMs);
    } catch (error) {
      if (error instanceof TimeoutError)
        throw new KeychainUnavailableError(`the keychain did not answer within ${probeTimeoutMs} ms`, { platform });
      throw new KeychainUnavailableError(messageOf(error), { cause: error, platform });
    }
    return new KeychainKeyStore(
      backend,
      legacy === backend ? null : legacy,
      options.operationTimeoutMs ?? DEFAULT_KEYCHAIN_OPERATION_TIMEOUT_MS,
      platform
    );
  }

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    const secret = await this.call('read', account, () => this.backend.getPassword(KEYCHAIN_SERVICE, account));
    return secret ? secret : this.moveFromLegacy(account);
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    const key = normalizeApiKey(secret);
    await this.call('store', account, () => this.backend.setPassword(KEYCHAIN_SERVICE, account, key), key);
  }

  /** Also deletes keytar's entry, which would otherwise come back on the next read. */
  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    const deleted = await this.call('delete', account, () => this.backend.deletePassword(KEYCHAIN_SERVICE, account));
    const legacy = this.legacy;
    if (!legacy) return deleted;
    const deletedLegacy = await this.call('delete', account, () => legacy.deletePassword(KEYCHAIN_SERVICE, account));
    return deleted || deletedLegacy;
  }

  /**
   * keytar's key for an account the backend has none for: copied into the backend, then deleted from
   * keytar. When keytar cannot be asked, the key stays there and the account reads as unset for now.
   */
  private async moveFromLegacy(account: string): Promise<string | null> {
    const legacy = this.legacy;
    if (!legacy) return null;
    const secret = await this.call('read', account, () => legacy.getPassword(KEYCHAIN_SERVICE, account)).catch(() => null);
    if (!secret) return null;
    await this.call('store', account, () => this.backend.setPassword(KEYCHAIN_SERVICE, account, secret), secret);
    await this.call('delete', account, () => legacy.deletePassword(KEYCHAIN_SERVICE, account));
    return secret;
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
      // The bindings' messages come from the OS and do not quote the password; make sure of it anyway.
      const detail = secret && raw.includes(secret) ? raw.split(secret).join('[redacted]') : raw;
      const cause = detail === raw ? error : new Error(detail);
      if (UNAVAILABLE_PATTERNS.some((pattern) => pattern.test(detail)))
        throw new KeychainUnavailableError(detail, { cause, platform: this.platform });
      throw new KeychainError(`Could not ${verb} the API key for "${account}" in ${this.description}: ${detail}`, { cause });
    }
  }
}

/** @napi-rs/keyring; keytar where it cannot be loaded (a platform without its prebuilt binary). */
function loadBackend(legacy: KeychainBackend | null, platform: NodeJS.Platform): KeychainBackend {
  try {
    return NapiKeyringBackend.load();
  } catch (error) {
    if (legacy) return legacy;
    throw new KeychainUnavailableError(`neither ${NAPI_KEYRING_MODULE} nor keytar could be loaded: ${messageOf(error)}`, {
      cause: error,
      platform
    });
  }
}

/** node_modules' keytar (Node ABI: the CLI, the server and the tests), or null where it cannot be loaded (Electron, no build). */
function loadNodeKeytar(): Keytar | null {
  try {
    return createRequire(import.meta.url)('keytar') as Keytar;
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Races the promise against a timer. A hung binding call keeps its thread, but the caller gets an answer. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
