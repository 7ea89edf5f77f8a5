import { ProviderError, UnknownProviderError } from '../core/providers/errors';
import { BudgetExceededError, InvalidModelRefError, LocalOnlyFeatureError, NoRouteError } from '../core/cloud/routingErrors';
import { EgressBlockedError } from '../core/egress/errors';
import { DetectionTimeoutError } from '../core/privacy/errors';
import { EnclaveError, InvalidArgumentsError } from '../core/EnclaveError';
import {
  ContextLengthExceededError,
  ModelBusyLoadingError,
  ModelUnloadedError,
  NoModelLoadedError,
  QueueFullError,
  UnknownModelError,
  UnsupportedSchemaError
} from '../core/engine/errors';

export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'service_unavailable_error'
  | 'budget_exceeded_error'
  | 'upstream_error'
  | 'server_error';

/** An error as the API answers it: an HTTP status and OpenAI's `{ error: { message, type, code, param } }` body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ApiErrorType,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get body() {
    return { error: { message: this.message, type: this.type, code: this.code, param: this.param } };
  }

  static invalid(message: string, param: string | null = null, code: string | null = null): ApiError {
    return new ApiError(400, 'invalid_request_error', message, code, param);
  }
}

/**
 * Maps what the core throws to an API error. Core errors carry what the user needs to act; anything
 * else is a bug and becomes a 500 whose message reveals nothing. `promptParam` names the field that
 * holds the prompt in this route's request (messages, prompt, input).
 */
export function toApiError(error: unknown, promptParam = 'messages'): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof UnknownModelError) return new ApiError(404, 'not_found_error', error.message, 'model_not_found', 'model');
  if (error instanceof NoModelLoadedError)
    return new ApiError(
      503,
      'service_unavailable_error',
      `${error.message} With the API: restart "enclave serve" with --model PATH, or load a model in the Enclave app.`,
      'no_model_loaded'
    );
  if (error instanceof ModelBusyLoadingError)
    return new ApiError(503, 'service_unavailable_error', error.message, 'model_loading', null, { 'Retry-After': '5' });
  if (error instanceof ModelUnloadedError)
    return new ApiError(503, 'service_unavailable_error', error.message, 'model_unloaded', null, { 'Retry-After': '5' });
  if (error instanceof QueueFullError)
    return new ApiError(429, 'rate_limit_error', error.message, 'queue_full', null, { 'Retry-After': String(error.retryAfterSeconds) });
  if (error instanceof ContextLengthExceededError)
    return ApiError.invalid(error.message, error.maxTokens === null ? promptParam : 'max_tokens', 'context_length_exceeded');
  if (error instanceof UnsupportedSchemaError) {
    const param =
      error.target.kind === 'responseFormat'
        ? 'response_format.json_schema.schema'
        : `tools[${error.target.toolIndex}].function.parameters`;
    return ApiError.invalid(error.message, error.schemaPath ? `${param}.${error.schemaPath}` : param, 'unsupported_schema');
  }
  if (error instanceof InvalidArgumentsError) return ApiError.invalid(error.issues.join('; '));
  if (error instanceof DetectionTimeoutError)
    return ApiError.invalid(
      `The text is too large to scan for personal data in time (${error.processedChars} of ${error.totalChars} characters scanned); send it in smaller parts.`,
      'text',
      'detection_timeout'
    );
  if (error instanceof InvalidModelRefError || error instanceof UnknownProviderError)
    return new ApiError(404, 'not_found_error', error.message, 'model_not_found', 'model');
  if (error instanceof LocalOnlyFeatureError)
    return ApiError.invalid(error.message, error.feature === 'tools' ? 'tools' : 'response_format', 'local_only_feature');
  if (error instanceof EgressBlockedError) return new ApiError(403, 'permission_error', error.message, 'egress_blocked');
  if (error instanceof BudgetExceededError) return new ApiError(402, 'budget_exceeded_error', error.message, 'budget_exceeded');
  if (error instanceof NoRouteError || error instanceof ProviderError)
    return new ApiError(502, 'upstream_error', error.message, error.code.toLowerCase());
  if (error instanceof EnclaveError) return new ApiError(500, 'server_error', error.message, error.code.toLowerCase());
  return new ApiError(
    500,
    'server_error',
    'The server had an internal error while handling the request. It has been logged.',
    'internal_error'
  );
}
