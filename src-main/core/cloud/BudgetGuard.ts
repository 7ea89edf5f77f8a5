import type { RouterSettings } from '../shared/types';
import { startOfMonth, type EgressLedger } from '../egress/EgressLedger';
import type { PriceTable } from '../providers/PriceTable';
import type { StoredProvider } from '../providers/ProviderStore';
import { BudgetExceededError } from './routingErrors';

/** Characters per token when estimating a prompt's size before it is tokenized (errs towards more tokens). */
export const CHARS_PER_TOKEN = 3;
/** The reply length assumed for an estimate when the request sets none. */
const DEFAULT_REPLY_TOKENS = 1024;

/** Monthly budgets, overall and per provider, checked against the ledger's costs before a cloud call. */
export class BudgetGuard {
  constructor(private readonly deps: { ledger: EgressLedger; prices: PriceTable }) {}

  /** The budget this call could break (with the worst-case estimate of its cost), or null; unpriced models pass. */
  problem(
    provider: StoredProvider,
    model: string,
    request: { promptChars: number; maxTokens?: number },
    settings: RouterSettings
  ): BudgetExceededError | null {
    const price = this.deps.prices.priceOf(provider.kind, provider.name, model);
    if (!price) return null;
    const estimate =
      (Math.ceil(request.promptChars / CHARS_PER_TOKEN) * price.inputPerMillion +
        (request.maxTokens ?? DEFAULT_REPLY_TOKENS) * price.outputPerMillion) /
      1_000_000;
    const since = startOfMonth();
    const scopes: [string, number | null | undefined, string | undefined][] = [
      [`for ${provider.name}`, settings.providerBudgetsUsd[provider.name], provider.name],
      ['over all providers', settings.monthlyBudgetUsd, undefined]
    ];
    for (const [scope, budget, providerName] of scopes) {
      if (budget === null || budget === undefined) continue;
      const spent = this.deps.ledger.spentUsd(since, providerName);
      if (spent + estimate > budget) return new BudgetExceededError(scope, budget, spent, estimate);
    }
    return null;
  }
}
