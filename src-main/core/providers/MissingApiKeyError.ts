import { ProviderAuthError } from './errors';

/**
 * No API key is stored for a provider that needs one. Raised by the client before any request
 * is sent; a ProviderAuthError (status 0: nothing was sent) so that callers treat it like a
 * rejected key.
 */
export class MissingApiKeyError extends ProviderAuthError {
  constructor(provider: string) {
    super(provider, 0, '');
    this.message = `No API key is stored for ${provider}, so nothing was sent. Add the key in Settings → Providers.`;
  }
}

/**
 * A client's SDK instance, made on the client's first call: importing an SDK takes 50–150 ms that
 * start-up should not pay. A client with no key makes none, and then every call fails with
 * MissingApiKeyError without loading anything.
 */
export function lazySdk<T>(provider: string, create: (() => Promise<T>) | null): () => Promise<T> {
  let instance: Promise<T> | undefined;
  return async () => {
    if (!create) throw new MissingApiKeyError(provider);
    return (instance ??= create());
  };
}
