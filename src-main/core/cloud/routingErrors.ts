import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

export class InvalidModelRefError extends EnclaveError {
  constructor(readonly ref: string) {
    super(
      ErrorCode.InvalidModel,
      `"${ref}" is not a model: use "local", "auto" or a cloud model as provider/model (e.g. openai/gpt-4.1-mini).`
    );
  }
}

export class BudgetExceededError extends EnclaveError {
  constructor(
    readonly scope: string,
    readonly budgetUsd: number,
    readonly spentUsd: number,
    readonly estimateUsd: number
  ) {
    super(
      ErrorCode.BudgetExceeded,
      `This request would exceed the monthly budget ${scope} ($${spentUsd.toFixed(4)} spent of $${budgetUsd.toFixed(2)}, this request up to $${estimateUsd.toFixed(4)}). Raise the budget or use the local model.`
    );
  }
}

export class NoRouteError extends EnclaveError {
  constructor(
    readonly attempts: { target: string; outcome: string; detail: string }[],
    options?: { cause?: unknown }
  ) {
    super(
      ErrorCode.NoModelAvailable,
      attempts.length
        ? `No model could answer: ${attempts.map((a) => `${a.target} ${a.outcome} (${a.detail})`).join('; ')}`
        : 'No model could answer: load a local model or add a cloud provider.',
      options
    );
  }
}

export class NoCloudModelError extends EnclaveError {
  constructor() {
    super(
      ErrorCode.NoCloudModel,
      'No cloud model is set up: add a provider, then pick a model or add one to the fallback chain (Settings → Models).'
    );
  }
}

/** Tool calls and JSON modes are grammar features of the local model; a cloud model was named for them. */
export class LocalOnlyFeatureError extends EnclaveError {
  constructor(
    readonly feature: 'tools' | 'responseFormat',
    readonly model: string
  ) {
    super(
      ErrorCode.LocalOnlyFeature,
      `${feature === 'tools' ? 'Tool calls are' : 'JSON modes are'} served by the local model only, and ${model} is a cloud model. Use the local model's id or "auto".`
    );
  }
}
