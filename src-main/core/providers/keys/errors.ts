import { EnclaveError } from '../../EnclaveError';
import { ErrorCode } from '../../shared/errorCodes';

// None of these messages ever contains a secret: they name the account, the store and what to do.

/** The key the user entered cannot be stored as typed (empty, multi-line, control characters, too long). */
export class InvalidApiKeyError extends EnclaveError {
  constructor(message: string) {
    super(ErrorCode.InvalidApiKey, message);
  }
}

/** The OS keychain failed an operation (read, write, delete). */
export class KeychainError extends EnclaveError {
  constructor(message: string, options?: { cause?: unknown; code?: ErrorCode }) {
    super(options?.code ?? ErrorCode.KeychainError, message, options);
  }
}

export const KEY_STORE_ENV = 'ENCLAVE_KEY_STORE';
export const KEY_PASSPHRASE_ENV = 'ENCLAVE_KEY_PASSPHRASE';
export const MIN_KEY_FILE_PASSPHRASE_LENGTH = 12;

/**
 * No keychain can be reached: typically a headless Linux box without a D-Bus session or without a
 * Secret Service provider (GNOME Keyring, KWallet). Enclave then refuses to store API keys rather than
 * keep them in plain text; the message says how to get a keychain and names the opt-in encrypted file.
 */
export class KeychainUnavailableError extends KeychainError {
  constructor(
    /** What the keychain library reported (never contains a secret). */
    readonly detail: string,
    options?: { cause?: unknown; platform?: NodeJS.Platform }
  ) {
    super(keychainUnavailableMessage(detail, options?.platform ?? process.platform), {
      cause: options?.cause,
      code: ErrorCode.KeychainUnavailable
    });
  }
}

function keychainUnavailableMessage(detail: string, platform: NodeJS.Platform): string {
  const fix =
    platform === 'linux'
      ? 'Install and run a Secret Service provider in your session: GNOME Keyring (Debian/Ubuntu: apt install gnome-keyring) or KWallet, ' +
        'with a D-Bus session bus (a desktop session, or dbus-run-session on a headless machine), and make sure its login keyring is unlocked.'
      : platform === 'darwin'
        ? 'Unlock the login keychain (Keychain Access) and try again.'
        : 'Make sure the Windows Credential Manager is available for your user and try again.';
  return (
    `No OS keychain is available to store API keys (keychain access failed: ${detail}). Enclave keeps API keys only in the OS keychain and will not store them in plain text. ` +
    `${fix} Alternatively, opt in to an encrypted key file: set ${KEY_STORE_ENV}=encrypted-file and ${KEY_PASSPHRASE_ENV} to a passphrase of at least ` +
    `${MIN_KEY_FILE_PASSPHRASE_LENGTH} characters (the keys are then only as safe as that passphrase).`
  );
}

/** The key store is misconfigured through the environment (unknown ENCLAVE_KEY_STORE, missing or short passphrase). */
export class KeyStoreConfigError extends EnclaveError {
  constructor(message: string) {
    super(ErrorCode.KeyStoreConfig, message);
  }
}

/** The encrypted key file could not be read or written (permissions, disk full, not a regular file). */
export class KeyFileError extends EnclaveError {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(ErrorCode.KeyFileError, message, options);
  }
}

export class WrongKeyFilePassphraseError extends EnclaveError {
  constructor(readonly file: string) {
    super(
      ErrorCode.KeyFileWrongPassphrase,
      `The passphrase does not open the encrypted key file ${file}. Set ${KEY_PASSPHRASE_ENV} to the passphrase it was created with; ` +
        `if that is lost, delete the file and enter the API keys again.`
    );
  }
}

/** The key file is damaged or not a key file. It is left as it is (nothing is overwritten). */
export class KeyFileCorruptError extends EnclaveError {
  constructor(
    readonly file: string,
    detail: string,
    options?: { cause?: unknown }
  ) {
    super(
      ErrorCode.KeyFileCorrupt,
      `The encrypted key file ${file} is damaged or not an Enclave key file (${detail}). It was left untouched; ` +
        `restore it from a backup, or move it away and enter the API keys again.`,
      options
    );
  }
}
