import { ProviderAuthError } from '../errors';

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

/** A client's SDK instance; a client makes none when it has no key, and then every call fails with MissingApiKeyError. */
export function requireSdk<T>(sdk: T | null, provider: string): T {
  if (!sdk) throw new MissingApiKeyError(provider);
  return sdk;
}
