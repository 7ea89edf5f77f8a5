import { join } from 'node:path';
import { EncryptedFileKeyStore } from './EncryptedFileKeyStore';
import { KEY_PASSPHRASE_ENV, KEY_STORE_ENV, KeyStoreConfigError, MIN_KEY_FILE_PASSPHRASE_LENGTH } from './errors';
import { KeychainKeyStore, type Keytar } from './KeychainKeyStore';
import type { KeyStore } from './KeyStore';

/** The encrypted key file's name inside the data folder (only with ENCLAVE_KEY_STORE=encrypted-file). */
export const KEY_FILE = 'keys.enc';
export const KEY_STORE_KINDS = ['keychain', 'encrypted-file'] as const;

export interface OpenKeyStoreOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** The Electron adapter's Electron-ABI keytar; node_modules' keytar otherwise. */
  keytar?: Keytar;
  /** For tests: how long the keychain probe may take. */
  probeTimeoutMs?: number;
}

/**
 * The key store the user chose. Default: the OS keychain, and KeychainUnavailableError when there is
 * none. There is no silent fallback, neither to plain text nor to the encrypted file: the file is used
 * only with ENCLAVE_KEY_STORE=encrypted-file and a passphrase in ENCLAVE_KEY_PASSPHRASE (see the
 * trade-off on EncryptedFileKeyStore).
 */
export async function openKeyStore(options: OpenKeyStoreOptions): Promise<KeyStore> {
  const env = options.env ?? process.env;
  const kind = env[KEY_STORE_ENV];
  if (kind === 'encrypted-file') {
    const passphrase = env[KEY_PASSPHRASE_ENV];
    if (!passphrase)
      throw new KeyStoreConfigError(
        `${KEY_STORE_ENV}=encrypted-file needs a passphrase in ${KEY_PASSPHRASE_ENV} (at least ${MIN_KEY_FILE_PASSPHRASE_LENGTH} characters).`
      );
    if (Array.from(passphrase).length < MIN_KEY_FILE_PASSPHRASE_LENGTH)
      throw new KeyStoreConfigError(
        `${KEY_PASSPHRASE_ENV} is too short: the key file passphrase must be at least ${MIN_KEY_FILE_PASSPHRASE_LENGTH} characters.`
      );
    return EncryptedFileKeyStore.open({ file: join(options.dataDir, KEY_FILE), passphrase });
  }
  if (kind && kind !== 'keychain')
    throw new KeyStoreConfigError(
      `${KEY_STORE_ENV}=${JSON.stringify(kind)} is not a key store; use one of: ${KEY_STORE_KINDS.join(', ')}.`
    );
  return KeychainKeyStore.open({ keytar: options.keytar, probeTimeoutMs: options.probeTimeoutMs });
}
