import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

export class ModelNotFoundError extends EnclaveError {
  constructor(readonly path: string) {
    super(ErrorCode.ModelNotFound, `No model file at ${path}. Check the path, or choose a .gguf file with "Choose model file…".`);
  }
}

export class InvalidGgufError extends EnclaveError {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly actual: string
  ) {
    super(
      ErrorCode.InvalidGguf,
      `${path} is not a GGUF model file (it starts with ${JSON.stringify(actual)}, a GGUF file starts with ${JSON.stringify(expected)}). ` +
        'Download a model in GGUF format, e.g. from a Hugging Face repository with "GGUF" in its name.'
    );
  }
}

export class ModelLoadError extends EnclaveError {
  constructor(
    readonly path: string,
    cause: unknown
  ) {
    super(
      ErrorCode.ModelLoadFailed,
      `Could not load ${path}: ${(cause as Error)?.message ?? cause}. The file may be truncated or damaged; try downloading it again.`,
      { cause }
    );
  }
}

export class TruncatedModelError extends EnclaveError {
  constructor(
    readonly path: string,
    readonly expectedBytes: number,
    readonly actualBytes: number
  ) {
    super(
      ErrorCode.ModelTruncated,
      `${path} is incomplete: its header describes ${expectedBytes} bytes of weights and metadata but the file has only ${actualBytes}. ` +
        'The download was probably interrupted; download the model again.'
    );
  }
}

export class ModelTooLargeError extends EnclaveError {
  constructor(
    readonly path: string,
    cause: unknown
  ) {
    super(
      ErrorCode.ModelTooLarge,
      `${path} does not fit in this machine's memory (${(cause as Error)?.message ?? cause}). ` +
        'Pick a smaller or more quantized model (e.g. Q4_K_M), lower the context size, or reduce GPU layers.',
      { cause }
    );
  }
}

export class NoModelLoadedError extends EnclaveError {
  constructor() {
    super(
      ErrorCode.NoModelLoaded,
      'No model is loaded. Load a GGUF model first: "Choose model file…" (Ctrl+O) in the app, or --model PATH on the command line.'
    );
  }
}

export class ModelBusyLoadingError extends EnclaveError {
  constructor(readonly path: string) {
    super(ErrorCode.ModelLoading, `A model is still loading (${path}). Wait for it to finish, then try again.`);
  }
}

export class QueueFullError extends EnclaveError {
  constructor(
    readonly maxQueueLength: number,
    readonly retryAfterSeconds: number
  ) {
    super(ErrorCode.QueueFull, `The local model is busy: ${maxQueueLength} requests are already waiting. Try again shortly.`);
  }
}

export class GenerationAbortedError extends EnclaveError {
  constructor() {
    super(ErrorCode.Aborted, 'The generation was stopped before it started.');
  }
}

/** A request names a model that is not the one loaded (or not known at all). */
export class UnknownModelError extends EnclaveError {
  constructor(
    readonly requested: string,
    readonly available: string[]
  ) {
    super(
      ErrorCode.UnknownModel,
      `The model "${requested}" is not loaded here. ` +
        (available.length ? `Available: ${available.map((id) => `"${id}"`).join(', ')}.` : 'No model is loaded.')
    );
  }
}

/** The prompt, or the prompt plus the requested reply length, does not fit the model's context. */
export class ContextLengthExceededError extends EnclaveError {
  constructor(
    readonly contextSize: number,
    readonly promptTokens: number,
    /** The reply length asked for, or null when the prompt alone is too long. */
    readonly maxTokens: number | null
  ) {
    super(
      ErrorCode.ContextLengthExceeded,
      maxTokens === null
        ? `The prompt is ${promptTokens} tokens, but the model's context holds ${contextSize}. Shorten the prompt, or load the model with a larger context size.`
        : `The prompt (${promptTokens} tokens) plus the requested ${maxTokens} tokens of reply exceed the model's context of ${contextSize} tokens. ` +
            `Ask for at most ${Math.max(0, contextSize - promptTokens - 1)} tokens, shorten the prompt, or load the model with a larger context size.`
    );
  }
}

/** A JSON schema (a response format or a tool's parameters) that a llama.cpp grammar cannot enforce. */
export class UnsupportedSchemaError extends EnclaveError {
  constructor(
    /** Which schema: the response format's, or tool number `toolIndex`'s parameters. */
    readonly target: { kind: 'responseFormat' } | { kind: 'toolParameters'; toolIndex: number },
    /** Where in the schema, e.g. `properties.city.pattern` ('' for the root). */
    readonly schemaPath: string,
    readonly reason: string
  ) {
    super(
      ErrorCode.UnsupportedSchema,
      `${target.kind === 'responseFormat' ? 'The response format schema' : `The parameters schema of tool ${target.toolIndex}`}` +
        `${schemaPath ? ` at "${schemaPath}"` : ''}: ${reason}`
    );
  }
}

/** The model was unloaded (or replaced) while a request waited for its turn. */
export class ModelUnloadedError extends EnclaveError {
  constructor(readonly model: string) {
    super(ErrorCode.ModelUnloaded, `${model} was unloaded before this request's turn came. Load a model and try again.`);
  }
}
