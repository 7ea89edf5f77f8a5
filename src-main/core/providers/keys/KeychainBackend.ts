/** The calls KeychainKeyStore makes to an OS keychain binding (keytar's API, which NapiKeyringBackend implements too). */
export interface KeychainBackend {
  /** null when the entry does not exist. */
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  /** false when there was no entry. */
  deletePassword(service: string, account: string): Promise<boolean>;
}
