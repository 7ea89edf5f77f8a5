import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Enclave, type EnclaveOptions } from '../../src-main/core/Enclave';
import type { ProviderKind } from '../../src-main/core/providers/CloudClient';
import { startFakeProvider, type FakeProvider, type FakeProviderOptions } from '../support/fakeProviders';

/** Keys in an encrypted file for these tests; the keychain itself is tested in keyStore.test.ts and keysStayInKeychain.test.ts. */
export const FILE_KEY_STORE_ENV = { ENCLAVE_KEY_STORE: 'encrypted-file', ENCLAVE_KEY_PASSPHRASE: 'a test passphrase only' };

/** Wire format of each provider kind. */
export const WIRE_OF: Record<ProviderKind, FakeProviderOptions['wire']> = {
  openai: 'openai',
  openrouter: 'openai',
  groq: 'openai',
  mistral: 'openai',
  'openai-compatible': 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini'
};

export interface CloudFixture {
  enclave: Enclave;
  sleeps: number[];
  /** Starts a fake provider and adds it (with its key) under `name`. */
  addFake(name: string, kind: ProviderKind, options?: Partial<FakeProviderOptions>): Promise<FakeProvider>;
}

/**
 * An Enclave on a temp folder with prices for the fakes' models, retries that record their delay instead of
 * waiting, and fake providers closed after each test.
 */
export function useCloudFixture(makeDir: () => string) {
  const open: { enclave: Enclave; fakes: FakeProvider[] }[] = [];
  afterEach(async () => {
    for (const { enclave, fakes } of open.splice(0)) {
      await enclave.dispose();
      await Promise.all(fakes.map((fake) => fake.close()));
    }
  });
  return async (options: Partial<EnclaveOptions> = {}): Promise<CloudFixture> => {
    const dataDir = makeDir();
    writeFileSync(
      join(dataDir, 'prices.json'),
      JSON.stringify({
        kinds: { openai: { 'gpt-fake-1': { input: 1, output: 2 } }, anthropic: { 'claude-fake-1': { input: 3, output: 15 } } }
      })
    );
    const sleeps: number[] = [];
    const enclave = Enclave.open({
      dataDir,
      gpu: false,
      env: { ...FILE_KEY_STORE_ENV }, // a copy: opening the key store deletes the passphrase from it
      ...options,
      router: {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        ...options.router
      }
    });
    const entry = { enclave, fakes: [] as FakeProvider[] };
    open.push(entry);
    return {
      enclave,
      sleeps,
      async addFake(name, kind, fakeOptions = {}) {
        const apiKey = `sk-test-${name}-0123456789abcdef`;
        const fake = await startFakeProvider({ wire: WIRE_OF[kind], apiKey, ...fakeOptions });
        entry.fakes.push(fake);
        await enclave.cloud.addProvider({ name, kind, baseUrl: fake.baseUrl });
        await enclave.cloud.setKey(name, apiKey);
        return fake;
      }
    };
  };
}

/** Chat requests a fake received (model lists left out). */
export const chatRequests = (fake: FakeProvider) => fake.requests.filter((request) => request.method === 'POST');
