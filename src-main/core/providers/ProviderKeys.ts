import type { KeyStoreInfo, ProviderKeyStatus } from '../shared/types';
import { keyStatus, type KeyStore } from './keys/KeyStore';

const accountOf = (provider: string) => `provider:${provider}`;

/**
 * Provider API keys in the key store (the OS keychain unless the user opted into the encrypted file).
 * The store opens on first use; when it cannot (no keychain service), each call says why and the next one tries again.
 */
export class ProviderKeys {
  private store: Promise<KeyStore> | null = null;

  constructor(private readonly openStore: () => Promise<KeyStore>) {}

  async info(): Promise<KeyStoreInfo> {
    try {
      const store = await this.open();
      return { kind: store.kind, description: store.description, error: null };
    } catch (error) {
      return { kind: null, description: 'no key store', error: (error as Error).message };
    }
  }

  async get(provider: string): Promise<string | null> {
    return (await this.open()).get(accountOf(provider));
  }

  /** "Not set" also when the store is unavailable: the caller shows `info().error` for why. */
  async status(provider: string): Promise<ProviderKeyStatus> {
    try {
      return await keyStatus(await this.open(), accountOf(provider));
    } catch {
      return { set: false, last4: null };
    }
  }

  async set(provider: string, key: string): Promise<void> {
    await (await this.open()).set(accountOf(provider), key);
  }

  async delete(provider: string): Promise<boolean> {
    return (await this.open()).delete(accountOf(provider));
  }

  private open(): Promise<KeyStore> {
    this.store ??= this.openStore().catch((error: unknown) => {
      this.store = null;
      throw error;
    });
    return this.store;
  }
}
