import type {
  EgressPreview,
  PrivacyMode,
  ReplyMetrics,
  RouteAttempt,
  RouteInfo,
  RoutePolicy,
  RouterSettings,
  SamplingSettings
} from '../shared/types';
import type { EngineService } from '../engine/EngineService';
import type { ChatTurn, StopReason } from '../engine/LocalModel';
import { startOfMonth, type EgressLedger } from '../egress/EgressLedger';
import type { PrivacyService } from '../privacy/PrivacyService';
import type { SettingsStore } from '../settings/SettingsStore';
import type { EgressGate, PreparedEgress } from '../egress/EgressGate';
import { ProviderError, ProviderTimeoutError } from '../providers/errors';
import type { PriceTable } from '../providers/PriceTable';
import type { ProviderHealth } from '../providers/ProviderHealth';
import type { CloudMessage } from '../providers/CloudClient';
import type { ProviderStore, StoredProvider } from '../providers/ProviderStore';
import { EgressBlockedError } from '../egress/errors';
import { BudgetExceededError, InvalidModelRefError, NoCloudModelError, NoRouteError } from './routingErrors';

export const DEFAULT_ROUTER_SETTINGS: RouterSettings = {
  defaultModel: 'local',
  policy: 'local-first',
  cloudChain: [],
  timeoutMs: 30_000,
  maxRetries: 2,
  monthlyBudgetUsd: null,
  providerBudgetsUsd: {},
  onBudgetExceeded: 'refuse'
};

const SETTINGS_KEY = 'router';
/** Characters per token when estimating a prompt's size before it is tokenized (errs towards more tokens). */
const CHARS_PER_TOKEN = 3;

export interface RouterOptions {
  /** First retry delay; doubled per retry, plus up to 50% jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this moves on to the next model instead of waiting. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RouteRequest {
  conversationId: string | null;
  /** 'local', 'auto' or `provider/model`; null: the default model. */
  requested: string | null;
  /** For 'auto'; null: the default policy. */
  policy: RoutePolicy | null;
  /** The conversation's own mode; null: the global one. */
  privacyMode: PrivacyMode | null;
  /** Ask a cloud model for this one message. */
  useCloud?: boolean;
  turns: ChatTurn[];
  sampling: Partial<SamplingSettings>;
  unredact?: readonly string[];
  source: 'chat' | 'api';
}

export interface RoutedResult {
  text: string;
  stopReason: StopReason;
  metrics: ReplyMetrics;
}

type Target = { kind: 'local' } | { kind: 'cloud'; ref: string; provider: StoredProvider; model: string };

interface Plan {
  requested: string;
  policy: RoutePolicy | null;
  mode: PrivacyMode;
  reason: string;
  targets: Target[];
  /** Candidates left out, with the error that explains it and the index of the target they preceded. */
  skipped: (RouteAttempt & { error: Error; before: number })[];
}

interface RouterDependencies {
  engine: EngineService;
  gate: EgressGate;
  providers: ProviderStore;
  health: ProviderHealth;
  ledger: EgressLedger;
  prices: PriceTable;
  privacy: PrivacyService;
  settings: SettingsStore;
}

/**
 * Decides which model answers (the conversation's fixed model, or `auto` under a policy), then runs the
 * route: retries with backoff that honours Retry-After, the fallback chain, cooldowns and budgets. Every
 * cloud attempt goes through the egress gate.
 */
export class ModelRouter {
  private readonly options: Required<RouterOptions>;

  constructor(
    private readonly deps: RouterDependencies,
    options: RouterOptions = {}
  ) {
    this.options = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000, sleep: abortableSleep, ...options };
  }

  get settings(): RouterSettings {
    return this.deps.settings.read(SETTINGS_KEY, DEFAULT_ROUTER_SETTINGS);
  }

  updateSettings(update: Partial<RouterSettings>): RouterSettings {
    for (const ref of [update.defaultModel, ...(update.cloudChain ?? [])]) if (ref !== undefined) parseRef(ref);
    if (update.cloudChain?.some((ref) => !ref.includes('/')))
      throw new InvalidModelRefError(update.cloudChain.find((ref) => !ref.includes('/'))!);
    const next = { ...this.settings, ...update };
    this.deps.settings.write(SETTINGS_KEY, next);
    return next;
  }

  /** Checks that some model can take the request; throws the reason when none can. Sends nothing. */
  assertRoutable(request: Omit<RouteRequest, 'turns' | 'source'> & { promptChars: number }): void {
    this.plan(request);
  }

  async generate(
    request: RouteRequest,
    { signal, onTextChunk }: { signal?: AbortSignal; onTextChunk?: (text: string) => void }
  ): Promise<RoutedResult> {
    const plan = this.plan({ ...request, promptChars: promptChars(request.turns) });
    const attempts: RouteAttempt[] = [];
    // Candidates left out at planning time are reported where they stood in the route.
    const noteSkippedBefore = (index: number) => {
      for (const { target, outcome, detail, before } of plan.skipped) if (before === index) attempts.push({ target, outcome, detail });
    };
    const settings = this.settings;
    let streamed = false;
    const forward = (text: string) => {
      if (text) streamed = true;
      onTextChunk?.(text);
    };
    let prepared: PreparedEgress | null = null;
    let lastError: unknown = null;
    let budgetRoutedLocal = false;

    for (const [index, target] of plan.targets.entries()) {
      noteSkippedBefore(index);
      if (target.kind === 'local') {
        const model = this.deps.engine.loadedModel;
        if (!model) {
          attempts.push({ target: 'local', outcome: 'skipped', detail: 'no local model is loaded' });
          continue;
        }
        try {
          const result = await model.generateChat(request.turns, {
            temperature: request.sampling.temperature,
            topP: request.sampling.topP,
            maxTokens: request.sampling.maxTokens,
            contextSize: request.sampling.contextSize ?? undefined,
            signal,
            onTextChunk: forward
          });
          attempts.push({ target: 'local', outcome: 'answered', detail: model.id });
          return { ...result, metrics: { ...result.metrics, route: this.routeInfo(plan, attempts, 'local', null, 0) } };
        } catch (error) {
          if (signal?.aborted || streamed) throw error;
          lastError = error;
          attempts.push({ target: 'local', outcome: 'failed', detail: (error as Error).message });
          continue;
        }
      }

      if (budgetRoutedLocal) {
        attempts.push({ target: target.ref, outcome: 'skipped', detail: 'over budget' });
        continue;
      }
      const overBudget = this.budgetProblem(target, request, settings);
      if (overBudget) {
        if (settings.onBudgetExceeded === 'refuse') throw overBudget;
        budgetRoutedLocal = true;
        attempts.push({ target: target.ref, outcome: 'skipped', detail: overBudget.message });
        if (!plan.targets.some((t) => t.kind === 'local')) plan.targets.push({ kind: 'local' });
        continue;
      }

      // Prepared once: every cloud model in the chain gets the same redacted text. Detection failure stops here.
      prepared ??= await this.deps.gate.prepare({
        conversationId: request.conversationId,
        mode: plan.mode,
        messages: toCloudMessages(request.turns),
        unredact: request.unredact,
        signal
      });
      const outcome = await this.tryCloud(target, prepared, request, settings, signal, forward, () => streamed);
      if ('result' in outcome) {
        attempts.push(...outcome.attempts, { target: target.ref, outcome: 'answered', detail: `${target.provider.kind}` });
        return {
          ...outcome.result,
          metrics: {
            ...outcome.result.metrics,
            route: this.routeInfo(
              plan,
              attempts,
              target.ref,
              plan.mode,
              Object.values(prepared.entityCounts).reduce((a, b) => a + b, 0)
            )
          }
        };
      }
      attempts.push(...outcome.attempts);
      lastError = outcome.error;
    }
    noteSkippedBefore(plan.targets.length);
    if (attempts.length === 1 && lastError instanceof Error) throw lastError;
    throw new NoRouteError(attempts, { cause: lastError });
  }

  /** What the next send would put on the wire, without sending it. */
  async preview(request: RouteRequest): Promise<EgressPreview> {
    let plan: Plan;
    try {
      plan = this.plan({ ...request, promptChars: promptChars(request.turns) });
    } catch (error) {
      const mode = this.deps.privacy.modeFor(request.privacyMode);
      return { target: null, mode, blockedReason: (error as Error).message, refused: true, messages: [], entityCounts: {} };
    }
    const cloud = plan.targets.find((t): t is Extract<Target, { kind: 'cloud' }> => t.kind === 'cloud');
    if (!cloud || plan.targets[0]?.kind === 'local') {
      const why = plan.skipped.find((s) => s.target !== 'local')?.detail;
      return {
        target: null,
        mode: plan.mode,
        blockedReason: `This reply is written by the local model: nothing leaves this machine${why ? ` (cloud: ${why})` : ''}.`,
        refused: false,
        messages: [],
        entityCounts: {}
      };
    }
    try {
      const prepared = await this.deps.gate.prepare({
        conversationId: request.conversationId,
        mode: plan.mode,
        messages: toCloudMessages(request.turns),
        unredact: request.unredact
      });
      return {
        target: cloud.ref,
        mode: plan.mode,
        blockedReason: null,
        refused: false,
        messages: prepared.messages.map((m, i) => ({ role: m.role, text: m.content, redactions: [...(prepared.redactions[i] ?? [])] })),
        entityCounts: { ...prepared.entityCounts }
      };
    } catch (error) {
      if (!(error instanceof EgressBlockedError)) throw error;
      return { target: cloud.ref, mode: plan.mode, blockedReason: error.message, refused: true, messages: [], entityCounts: {} };
    }
  }

  private async tryCloud(
    target: Extract<Target, { kind: 'cloud' }>,
    prepared: PreparedEgress,
    request: RouteRequest,
    settings: RouterSettings,
    signal: AbortSignal | undefined,
    forward: (text: string) => void,
    hasStreamed: () => boolean
  ): Promise<{ result: RoutedResult; attempts: RouteAttempt[] } | { error: unknown; attempts: RouteAttempt[] }> {
    const attempts: RouteAttempt[] = [];
    const { health } = this.deps;
    for (let attempt = 0; ; attempt++) {
      try {
        const reply = await this.deps.gate.send(prepared, target.provider, target.model, {
          source: request.source,
          timeoutMs: settings.timeoutMs,
          signal,
          sampling: { temperature: request.sampling.temperature, topP: request.sampling.topP, maxTokens: request.sampling.maxTokens },
          onTextChunk: forward
        });
        health.succeeded(target.provider.name);
        const completionTokens = reply.usage?.completionTokens ?? 0;
        const generationMs = reply.timeToFirstTokenMs === null ? 0 : reply.totalMs - reply.timeToFirstTokenMs;
        return {
          attempts,
          result: {
            text: reply.text,
            stopReason: reply.finishReason === 'length' ? 'maxTokens' : 'eos',
            metrics: {
              model: target.ref,
              backend: 'cloud',
              promptTokens: reply.usage?.promptTokens ?? 0,
              completionTokens,
              timeToFirstTokenMs: reply.timeToFirstTokenMs,
              tokensPerSecond: completionTokens > 1 && generationMs > 0 ? ((completionTokens - 1) * 1000) / generationMs : 0,
              totalMs: reply.totalMs,
              queueWaitMs: 0,
              provider: target.provider.name,
              costUsd: reply.costUsd,
              route: null
            }
          }
        };
      } catch (error) {
        if (signal?.aborted) throw error;
        health.failed(target.provider.name, error);
        // Part of a reply is already on screen: keep it and say why it ended, rather than start over elsewhere.
        if (hasStreamed()) throw error;
        const detail = (error as Error)?.message ?? String(error);
        // A timeout already cost the user the whole timeout: move on instead of waiting it out again.
        const retryable = error instanceof ProviderError && error.retryable && !(error instanceof ProviderTimeoutError);
        if (!retryable || attempt >= settings.maxRetries || health.coolingUntil(target.provider.name) !== null) {
          attempts.push({ target: target.ref, outcome: 'failed', detail });
          return { error, attempts };
        }
        const retryAfterMs = (error as { retryAfterMs?: number | null }).retryAfterMs ?? null;
        if (retryAfterMs !== null && retryAfterMs > this.options.maxRetryAfterMs) {
          attempts.push({
            target: target.ref,
            outcome: 'failed',
            detail: `${detail} (asked to wait ${Math.round(retryAfterMs / 1000)} s)`
          });
          return { error, attempts };
        }
        attempts.push({ target: target.ref, outcome: 'failed', detail: `${detail}; retrying` });
        await this.options.sleep(Math.max(retryAfterMs ?? 0, this.backoff(attempt)), signal);
      }
    }
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempt);
    return base + Math.random() * base * 0.5;
  }

  private budgetProblem(target: Extract<Target, { kind: 'cloud' }>, request: RouteRequest, settings: RouterSettings) {
    const price = this.deps.prices.priceOf(target.provider.kind, target.provider.name, target.model);
    if (!price) return null;
    const chars = promptChars(request.turns);
    const estimate =
      (Math.ceil(chars / CHARS_PER_TOKEN) * price.inputPerMillion + (request.sampling.maxTokens ?? 1024) * price.outputPerMillion) /
      1_000_000;
    const since = startOfMonth();
    const scopes: [string, number | null | undefined, string | undefined][] = [
      [`for ${target.provider.name}`, settings.providerBudgetsUsd[target.provider.name], target.provider.name],
      ['over all providers', settings.monthlyBudgetUsd, undefined]
    ];
    for (const [scope, budget, provider] of scopes) {
      if (budget === null || budget === undefined) continue;
      const spent = this.deps.ledger.spentUsd(since, provider);
      if (spent + estimate > budget) return new BudgetExceededError(scope, budget, spent, estimate);
    }
    return null;
  }

  private plan(request: Omit<RouteRequest, 'turns' | 'source'> & { promptChars: number }): Plan {
    const settings = this.settings;
    const requested = request.requested ?? settings.defaultModel;
    const mode = this.deps.privacy.modeFor(request.privacyMode);
    const skipped: Plan['skipped'] = [];
    const chain = settings.cloudChain;
    let policy: RoutePolicy | null = null;
    let reason: string;
    let candidates: string[];

    const parsed = parseRef(requested);
    if (parsed.kind === 'local' && !request.useCloud) {
      candidates = ['local'];
      reason = 'This conversation uses the local model.';
    } else if (parsed.kind === 'cloud' && !request.useCloud) {
      candidates = [requested, ...chain.filter((ref) => ref !== requested)];
      reason = `This conversation uses ${requested}${chain.some((ref) => ref !== requested) ? ', with the fallback chain after it' : ''}.`;
    } else if (request.useCloud) {
      candidates = parsed.kind === 'cloud' ? [requested, ...chain.filter((ref) => ref !== requested)] : chain;
      reason = 'You asked for a cloud model for this message.';
      if (candidates.length === 0) throw new NoCloudModelError();
    } else {
      policy = request.policy ?? settings.policy;
      if (policy === 'local-only') {
        candidates = ['local'];
        reason = 'Automatic, local only.';
      } else if (policy === 'cloud-preferred') {
        candidates = [...chain, 'local'];
        reason = 'Automatic, cloud preferred: the local model answers when the cloud cannot.';
      } else {
        candidates = ['local', ...chain];
        reason = 'Automatic, local first: a cloud model answers when the local one cannot.';
        const model = this.deps.engine.loadedModel;
        const estimate = Math.ceil(request.promptChars / CHARS_PER_TOKEN);
        if (model && chain.length > 0 && estimate > model.info.contextSize) {
          candidates = [...chain, 'local'];
          reason = `Automatic, local first, but the prompt (about ${estimate} tokens) is longer than the local context (${model.info.contextSize}).`;
        }
      }
    }

    const targets: Target[] = [];
    for (const ref of candidates) {
      if (ref === 'local') {
        if (this.deps.engine.loadedModel) targets.push({ kind: 'local' });
        else
          skipped.push({
            before: targets.length,
            ...skip(
              'local',
              errorOf(() => this.deps.engine.requireModel()),
              'no local model is loaded'
            )
          });
        continue;
      }
      const { provider: name, model } = parseRef(ref) as { kind: 'cloud'; provider: string; model: string };
      const provider = this.deps.providers.find(name);
      if (!provider) {
        skipped.push({
          before: targets.length,
          ...skip(
            ref,
            errorOf(() => this.deps.providers.get(name)),
            `there is no provider named ${name}`
          )
        });
        continue;
      }
      if (mode === 'local-only') {
        const error = new EgressBlockedError(
          'local-only',
          'Privacy is set to Local only: nothing leaves this machine, so cloud models are disabled. Change it in the privacy switch to use one.'
        );
        skipped.push({ before: targets.length, ...skip(ref, error, 'privacy is Local only') });
        continue;
      }
      const until = this.deps.health.coolingUntil(name);
      if (until !== null) {
        const error = new NoRouteError([{ target: ref, outcome: 'skipped', detail: `cooling down after repeated failures` }]);
        skipped.push({
          before: targets.length,
          ...skip(ref, error, `${name} is cooling down after repeated failures until ${new Date(until).toLocaleTimeString()}`)
        });
        continue;
      }
      targets.push({ kind: 'cloud', ref, provider, model });
    }
    if (targets.length === 0) {
      if (skipped.length === 1) throw skipped[0]!.error;
      throw new NoRouteError(skipped.map(({ target, outcome, detail }) => ({ target, outcome, detail })));
    }
    return { requested, policy, mode, reason, targets, skipped };
  }

  private routeInfo(
    plan: Plan,
    attempts: RouteAttempt[],
    answeredBy: string,
    privacyMode: PrivacyMode | null,
    redacted: number
  ): RouteInfo {
    return {
      requested: plan.requested,
      policy: plan.policy,
      answeredBy,
      reason: plan.reason,
      attempts: [...attempts],
      privacyMode,
      redactedEntities: redacted
    };
  }
}

export type ParsedModelRef = { kind: 'local' } | { kind: 'auto' } | { kind: 'cloud'; provider: string; model: string };

export function parseRef(ref: string): ParsedModelRef {
  if (ref === 'local') return { kind: 'local' };
  if (ref === 'auto') return { kind: 'auto' };
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash === ref.length - 1) throw new InvalidModelRefError(ref);
  return { kind: 'cloud', provider: ref.slice(0, slash), model: ref.slice(slash + 1) };
}

/** Cloud APIs take plain text turns; tool calls made by the local model are written out as text. */
function toCloudMessages(turns: ChatTurn[]): CloudMessage[] {
  return turns.map((turn) => ({
    role: turn.role,
    content: turn.toolCalls?.length
      ? `${turn.content}\n${turn.toolCalls.map((call) => `[tool ${call.name}(${JSON.stringify(call.arguments)}) → ${JSON.stringify(call.result)}]`).join('\n')}`
      : turn.content
  }));
}

function promptChars(turns: ChatTurn[]): number {
  return turns.reduce((sum, turn) => sum + turn.content.length, 0);
}

function skip(target: string, error: Error, detail: string): Omit<Plan['skipped'][number], 'before'> {
  return { target, outcome: 'skipped', detail, error };
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  return new Error('unexpected success');
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
