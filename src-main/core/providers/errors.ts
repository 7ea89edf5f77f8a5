import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

/** Any failure talking to a cloud provider. `retryable`: another attempt (or provider) may succeed. */
export class ProviderError extends EnclaveError {
  constructor(
    code: ErrorCode,
    readonly provider: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown }
  ) {
    super(code, message, options);
  }
}

/** The provider answered with an HTTP error status (401/403 are ProviderAuthError). */
export class ProviderHttpError extends ProviderError {
  constructor(
    provider: string,
    readonly status: number,
    detail: string,
    /** From the Retry-After header, when the provider sent one. */
    readonly retryAfterMs: number | null
  ) {
    super(
      ErrorCode.ProviderHttpError,
      provider,
      `${provider} answered HTTP ${status}${detail ? `: ${detail}` : ''}`,
      status === 408 || status === 409 || status === 429 || status >= 500
    );
  }
}

export class ProviderAuthError extends ProviderError {
  constructor(
    provider: string,
    readonly status: number,
    detail: string
  ) {
    super(
      ErrorCode.ProviderAuthFailed,
      provider,
      `${provider} rejected the API key (HTTP ${status})${detail ? `: ${detail}` : ''}. Check the key in Settings → Providers.`,
      false
    );
  }
}

/** Could not connect (offline, DNS, refused, reset before a response). */
export class ProviderNetworkError extends ProviderError {
  constructor(provider: string, detail: string, options?: { cause?: unknown }) {
    super(ErrorCode.ProviderUnreachable, provider, `${provider} is unreachable: ${detail}`, true, options);
  }
}

export class ProviderTimeoutError extends ProviderError {
  constructor(
    provider: string,
    readonly timeoutMs: number
  ) {
    super(ErrorCode.ProviderTimeout, provider, `${provider} did not respond within ${timeoutMs} ms`, true);
  }
}

/** The response started but broke: cut mid-way, malformed SSE, an error event inside the stream. */
export class ProviderStreamError extends ProviderError {
  constructor(
    provider: string,
    detail: string,
    /** Text that had already been streamed before the failure. */
    readonly partialText: string,
    options?: { cause?: unknown }
  ) {
    super(ErrorCode.ProviderStreamBroken, provider, `${provider}'s response broke off: ${detail}`, true, options);
  }
}

/** The caller's AbortSignal fired. */
export class ProviderAbortedError extends ProviderError {
  constructor(
    provider: string,
    readonly partialText: string
  ) {
    super(ErrorCode.ProviderAborted, provider, `The request to ${provider} was stopped`, false);
  }
}

export class UnknownProviderError extends EnclaveError {
  constructor(
    readonly provider: string,
    known: string[]
  ) {
    super(
      ErrorCode.UnknownProvider,
      `There is no provider named "${provider}". ${known.length ? `Providers: ${known.join(', ')}.` : 'Add one first (Settings → Providers, or `enclave provider add`).'}`
    );
  }
}

export class ProviderExistsError extends EnclaveError {
  constructor(readonly provider: string) {
    super(ErrorCode.ProviderExists, `A provider named "${provider}" already exists. Pick another name or remove it first.`);
  }
}

export class InvalidProviderConfigError extends EnclaveError {
  constructor(detail: string) {
    super(ErrorCode.InvalidProvider, detail);
  }
}

/** An API key would travel over plain http to a host other than this machine (see resolveBaseUrl). */
export class InsecureKeyTransportError extends EnclaveError {
  constructor(
    readonly provider: string,
    readonly baseUrl: string
  ) {
    super(
      ErrorCode.InsecureKeyTransport,
      `The provider "${provider}" uses ${baseUrl}: an API key is sent over https only, unless the server runs on this machine ` +
        `(localhost, 127.0.0.0/8, ::1). Change its base URL to https:// (remove the provider and add it again), or use it without a key.`
    );
  }
}
