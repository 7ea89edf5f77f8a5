import { EnclaveError } from '../EnclaveError';

export class ModelNotFoundError extends EnclaveError {
  constructor(readonly path: string) {
    super('MODEL_NOT_FOUND', `No model file at ${path}. Check the path, or choose a .gguf file with "Choose model file…".`);
  }
}

export class InvalidGgufError extends EnclaveError {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly actual: string
  ) {
    super(
      'INVALID_GGUF',
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
      'MODEL_LOAD_FAILED',
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
      'MODEL_TRUNCATED',
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
      'MODEL_TOO_LARGE',
      `${path} does not fit in this machine's memory (${(cause as Error)?.message ?? cause}). ` +
        'Pick a smaller or more quantized model (e.g. Q4_K_M), lower the context size, or reduce GPU layers.',
      { cause }
    );
  }
}

export class NoModelLoadedError extends EnclaveError {
  constructor() {
    super(
      'NO_MODEL_LOADED',
      'No model is loaded. Load a GGUF model first: "Choose model file…" (Ctrl+O) in the app, or --model PATH on the command line.'
    );
  }
}

export class ModelBusyLoadingError extends EnclaveError {
  constructor(readonly path: string) {
    super('MODEL_LOADING', `A model is still loading (${path}). Wait for it to finish, then try again.`);
  }
}

export class QueueFullError extends EnclaveError {
  constructor(
    readonly maxQueueLength: number,
    readonly retryAfterSeconds: number
  ) {
    super('QUEUE_FULL', `The local model is busy: ${maxQueueLength} requests are already waiting. Try again shortly.`);
  }
}

export class GenerationAbortedError extends EnclaveError {
  constructor() {
    super('ABORTED', 'The generation was stopped before it started.');
  }
}
