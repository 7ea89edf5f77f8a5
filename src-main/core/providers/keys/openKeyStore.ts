import { join } from 'node:path';
import { EncryptedFileKeyStore } from './EncryptedFileKeyStore';
import { KEY_PASSPHRASE_ENV, KEY_STORE_ENV, KeyStoreConfigError, MIN_KEY_FILE_PASSPHRASE_LENGTH } from './errors';
import type { KeychainBackend } from './KeychainBackend';
import { KeychainKeyStore } from './KeychainKeyStore';
import type { KeyStore } from './KeyStore';

/** The encrypted key file's name inside the data folder (only with ENCLAVE_KEY_STORE=encrypted-file). */
export const KEY_FILE = 'keys.enc';
export const KEY_STORE_KINDS = ['keychain', 'encrypted-file'] as const;

export interface OpenKeyStoreOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** The keychain binding; @napi-rs/keyring by default (see KeychainKeyStore). */
  keychain?: KeychainBackend;
  /** The Electron adapter's Electron-ABI keytar, to move the keys earlier versions stored; node_modules' keytar otherwise. */
  keytar?: KeychainBackend | null;
  /** For tests: how long the keychain probe may take. */
  probeTimeoutMs?: number;
}

/**
 * The key store the user chose. Default: the OS keychain, and KeychainUnavailableError when there is
 * none. There is no silent fallback, neither to plain text nor to the encrypted file: the file is used
 * only with ENCLAVE_KEY_STORE=encrypted-file and a passphrase in ENCLAVE_KEY_PASSPHRASE (see the
 * trade-off on EncryptedFileKeyStore).
 */
export function openKeyStore(options: OpenKeyStoreOptions): Promise<KeyStore> {
  return keyStoreOpener(options)();
}

/**
 * Reads the configuration now and returns what opens the store (again after a failure, e.g. while
 * no keychain answers). The passphrase is taken out of the environment here, from `env` and from
 * process.env, so that child processes, crash reports and environment dumps never see it.
 */
export function keyStoreOpener(options: OpenKeyStoreOptions): () => Promise<KeyStore> {
  const env = options.env ?? process.env;
  const kind = env[KEY_STORE_ENV];
  const passphrase = env[KEY_PASSPHRASE_ENV];
  delete env[KEY_PASSPHRASE_ENV];
  delete process.env[KEY_PASSPHRASE_ENV];
  if (kind === 'encrypted-file') {
    return async () => {
      if (!passphrase)
        throw new KeyStoreConfigError(
          `${KEY_STORE_ENV}=encrypted-file needs a passphrase in ${KEY_PASSPHRASE_ENV} (at least ${MIN_KEY_FILE_PASSPHRASE_LENGTH} characters).`
        );
      if (Array.from(passphrase).length < MIN_KEY_FILE_PASSPHRASE_LENGTH)
        throw new KeyStoreConfigError(
          `${KEY_PASSPHRASE_ENV} is too short: the key file passphrase must be at least ${MIN_KEY_FILE_PASSPHRASE_LENGTH} characters.`
        );
      return EncryptedFileKeyStore.open({ file: join(options.dataDir, KEY_FILE), passphrase });
    };
  }
  return async () => {
    if (kind && kind !== 'keychain')
      throw new KeyStoreConfigError(
        `${KEY_STORE_ENV}=${JSON.stringify(kind)} is not a key store; use one of: ${KEY_STORE_KINDS.join(', ')}.`
      );
    return KeychainKeyStore.open({ backend: options.keychain, legacy: options.keytar, probeTimeoutMs: options.probeTimeoutMs });
  };
}
