import { InvalidArgumentsError } from '../../EnclaveError';
import { InvalidApiKeyError } from './errors';

/** The keychain service name every Enclave API key is stored under (the account is the provider id). */
export const KEYCHAIN_SERVICE = 'Enclave';

/** Longest API key accepted, in UTF-8 bytes. */
export const MAX_API_KEY_BYTES = 8 * 1024;
/** keyStatus reveals the last 4 characters only of keys at least this long, so short keys are not half disclosed. */
export const MIN_KEY_LENGTH_FOR_LAST4 = 12;
const MAX_ACCOUNT_LENGTH = 200;

/**
 * Where cloud providers' API keys live. Keys are kept nowhere else: not in SQLite, settings, logs,
 * crash reports, the renderer or HTTP responses. Callers outside the cloud client see only keyStatus().
 */
export interface KeyStore {
  readonly kind: 'keychain' | 'encrypted-file';
  /** Human description for UI/CLI, e.g. "the OS keychain (Secret Service)" or "the encrypted file /path/keys.enc" */
  readonly description: string;
  /** The stored secret, or null when the account has none. */
  get(account: string): Promise<string | null>;
  /** Stores (or replaces) the account's secret; validated with normalizeApiKey first. */
  set(account: string, secret: string): Promise<void>;
  /** Removes the account's secret; false when there was none. */
  delete(account: string): Promise<boolean>;
}

/** What the renderer and the API may see about a key. */
export interface KeyStatus {
  set: boolean;
  /** The key's last 4 characters, only for keys of at least MIN_KEY_LENGTH_FOR_LAST4 characters; otherwise null. */
  last4: string | null;
}

export async function keyStatus(store: KeyStore, account: string): Promise<KeyStatus> {
  const secret = await store.get(account);
  if (secret === null) return { set: false, last4: null };
  const chars = Array.from(secret);
  return { set: true, last4: chars.length >= MIN_KEY_LENGTH_FOR_LAST4 ? chars.slice(-4).join('') : null };
}

// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * The key as it will be stored: surrounding whitespace (a pasted trailing newline) is removed, and what
 * remains must be non-empty, a single line without control characters, and at most 8 KiB.
 * The error never quotes the key.
 */
export function normalizeApiKey(secret: string): string {
  if (typeof secret !== 'string') throw new InvalidApiKeyError('The API key must be text.');
  const key = secret.trim();
  if (!key) throw new InvalidApiKeyError('The API key is empty.');
  if (CONTROL_CHARACTERS.test(key))
    throw new InvalidApiKeyError('The API key contains a line break or another control character; paste only the key itself.');
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_API_KEY_BYTES) throw new InvalidApiKeyError(`The API key is too long (${bytes} bytes; at most ${MAX_API_KEY_BYTES}).`);
  return key;
}

/** Accounts are provider ids such as "openai": short, single-line names. */
export function checkAccount(account: string): void {
  const issues: string[] = [];
  if (typeof account !== 'string' || !account) issues.push('account must be a non-empty string');
  else {
    if (account.length > MAX_ACCOUNT_LENGTH) issues.push(`account must be at most ${MAX_ACCOUNT_LENGTH} characters`);
    if (CONTROL_CHARACTERS.test(account)) issues.push('account must not contain control characters');
    if (account !== account.trim()) issues.push('account must not start or end with whitespace');
  }
  if (issues.length) throw new InvalidArgumentsError('key store', issues);
}
