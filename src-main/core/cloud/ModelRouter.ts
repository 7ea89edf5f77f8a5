import type {
  EgressPreview,
  PrivacyMode,
  RouteAttempt,
  RouteInfo,
  RoutePolicy,
  RouterSettings,
  SamplingSettings,
  UsageBlockReason,
  UsageSource
} from '../shared/types';
import type { EngineService } from '../engine/EngineService';
import type { ChatTurn, GenerateChatOptions, GenerateCompletionOptions, GenerationResult, LocalModel } from '../engine/LocalModel';
import type { EgressLedger } from '../egress/EgressLedger';
import type { PrivacyService } from '../privacy/PrivacyService';
import type { SettingsStore } from '../settings/SettingsStore';
import type { EgressGate, PreparedEgress } from '../egress/EgressGate';
import type { PriceTable } from '../providers/PriceTable';
import type { ProviderHealth } from '../providers/ProviderHealth';
import type { CloudMessage } from '../providers/CloudClient';
import type { ProviderStore } from '../providers/ProviderStore';
import { EgressBlockedError } from '../egress/errors';
import { entryFromMetrics, type UsageEntry, type UsageLog } from '../metrics/UsageLog';
import { BudgetGuard } from './BudgetGuard';
import { parseCloudRef, parseRef, parseSettingRef } from './modelRefs';
import { RoutePlanner, type PlanRequest, type RoutePlan, type Target } from './RoutePlanner';
import { abortableSleep, sendWithRetries, type RetryOptions } from './sendWithRetries';
import { BudgetExceededError, NoRouteError } from './routingErrors';

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

export type RouterOptions = Partial<RetryOptions>;

/** What only the local model does: grammars (JSON modes, tool calls) and llama.cpp's sampling controls. */
export type LocalGenerationOptions = Pick<
  GenerateChatOptions,
  'responseFormat' | 'tools' | 'toolChoice' | 'parallelToolCalls' | 'seed' | 'frequencyPenalty' | 'presencePenalty' | 'strictContext'
>;

export interface RouteRequest {
  conversationId: string | null;
  /** 'local', a local model's id, 'auto' or `provider/model`; null: the default model. */
  requested: string | null;
  /** For 'auto'; null: the default policy. */
  policy: RoutePolicy | null;
  /** The conversation's own mode; null: the global one. */
  privacyMode: PrivacyMode | null;
  /** Ask a cloud model for this one message. */
  useCloud?: boolean;
  turns: ChatTurn[];
  sampling: Partial<SamplingSettings> & { stop?: string[] };
  /** Tool calls and JSON modes route to the local model only; a cloud model named for them is refused. */
  local?: LocalGenerationOptions;
  unredact?: readonly string[];
  /** Who asks: counted in the usage log; the egress ledger records 'api' or 'chat'. */
  source: UsageSource;
}

export type RoutedResult = GenerationResult;

export interface GenerateCallbacks {
  signal?: AbortSignal;
  onTextChunk?: (text: string) => void;
  /** Called once, when the model that answers starts (after everything that can refuse the request up front). */
  onStart?: () => void;
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
  usage: UsageLog;
}

/** What one generate call tried, for its usage record. */
interface RouteTrace {
  target: Pick<UsageEntry, 'model' | 'provider' | 'location'> | null;
  entityCounts: Readonly<Record<string, number>>;
}

/**
 * The one place that decides which model answers, for the app, the CLI and the API: the requested model
 * (or `auto` under a policy) and the fallback chain, with retries, cooldowns and budgets. Every cloud
 * attempt goes through the egress gate.
 */
export class ModelRouter {
  private readonly retry: RetryOptions;
  private readonly planner: RoutePlanner;
  private readonly budgets: BudgetGuard;

  constructor(
    private readonly deps: RouterDependencies,
    options: RouterOptions = {}
  ) {
    this.retry = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000, sleep: abortableSleep, ...options };
    this.planner = new RoutePlanner(deps);
    this.budgets = new BudgetGuard(deps);
  }

  get settings(): RouterSettings {
    return this.deps.settings.read(SETTINGS_KEY, DEFAULT_ROUTER_SETTINGS);
  }

  updateSettings(update: Partial<RouterSettings>): RouterSettings {
    if (update.defaultModel !== undefined) parseSettingRef(update.defaultModel);
    for (const ref of update.cloudChain ?? []) parseCloudRef(ref);
    const next = { ...this.settings, ...update };
    this.deps.settings.write(SETTINGS_KEY, next);
    return next;
  }

  /**
   * Checks that some model can take the request; throws the reason when none can. Sends nothing. A refusal by
   * the privacy switch is counted as a blocked request: the user asked, and the switch said no.
   */
  assertRoutable(request: Omit<PlanRequest, 'localOnlyFeature'> & Pick<RouteRequest, 'source' | 'conversationId'>): void {
    const createdAt = Date.now();
    try {
      this.planner.plan(request, this.settings);
    } catch (error) {
      if (blockReasonOf(error)) this.logUsage(this.failureEntry(request, error, { target: null, entityCounts: {} }, createdAt, false));
      throw error;
    }
  }

  /** Routes one request and counts it in the usage log (answered, stopped, failed or blocked), whoever asked. */
  async generate(request: RouteRequest, callbacks: GenerateCallbacks = {}): Promise<RoutedResult> {
    const createdAt = Date.now();
    const trace: RouteTrace = { target: null, entityCounts: {} };
    try {
      const result = await this.route(request, callbacks, trace);
      const stopped = result.stopReason === 'aborted';
      this.logUsage(entryFromMetrics(result.metrics, { ...request, createdAt, stopped }, trace.entityCounts));
      return result;
    } catch (error) {
      this.logUsage(this.failureEntry(request, error, trace, createdAt, callbacks.signal?.aborted === true));
      throw error;
    }
  }

  /** A raw text completion (no chat template) by a local model, counted in the usage log like every reply. */
  async complete(model: LocalModel, prompt: string, options: GenerateCompletionOptions, source: UsageSource): Promise<GenerationResult> {
    const createdAt = Date.now();
    try {
      const result = await model.generateCompletion(prompt, options);
      this.logUsage(
        entryFromMetrics(result.metrics, { source, conversationId: null, createdAt, stopped: result.stopReason === 'aborted' })
      );
      return result;
    } catch (error) {
      const target = { model: model.id, provider: null, location: 'local' as const };
      this.logUsage(
        this.failureEntry(
          { source, conversationId: null, requested: model.id },
          error,
          { target, entityCounts: {} },
          createdAt,
          options.signal?.aborted === true
        )
      );
      throw error;
    }
  }

  private async route(
    request: RouteRequest,
    { signal, onTextChunk, onStart }: GenerateCallbacks,
    trace: RouteTrace
  ): Promise<RoutedResult> {
    const settings = this.settings;
    const chars = promptChars(request.turns);
    const plan = this.planner.plan({ ...request, localOnlyFeature: localOnlyFeature(request.local), promptChars: chars }, settings);
    const attempts: RouteAttempt[] = [];
    // Candidates left out at planning time are reported where they stood in the route.
    const noteSkippedBefore = (index: number) => {
      for (const { target, outcome, detail, before } of plan.skipped) if (before === index) attempts.push({ target, outcome, detail });
    };
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      onStart?.();
    };
    let streamed = false;
    const forward = (text: string) => {
      if (text) streamed = true;
      onTextChunk?.(text);
    };
    const { stop, ...sampling } = request.sampling;
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
        trace.target = { model: model.id, provider: null, location: 'local' };
        try {
          const result = await model.generateChat(request.turns, {
            ...request.local,
            temperature: sampling.temperature,
            topP: sampling.topP,
            maxTokens: sampling.maxTokens,
            contextSize: sampling.contextSize ?? undefined,
            stop,
            signal,
            onStart: start,
            onTextChunk: forward
          });
          attempts.push({ target: 'local', outcome: 'answered', detail: model.id });
          return { ...result, metrics: { ...result.metrics, route: routeInfo(plan, attempts, 'local', null, 0) } };
        } catch (error) {
          if (signal?.aborted || streamed) throw error;
          lastError = error;
          attempts.push({ target: 'local', outcome: 'failed', detail: (error as Error).message });
          continue;
        }
      }

      trace.target = { model: target.ref, provider: target.provider.name, location: 'cloud' };
      if (budgetRoutedLocal) {
        attempts.push({ target: target.ref, outcome: 'skipped', detail: 'over budget' });
        continue;
      }
      const overBudget = this.budgets.problem(
        target.provider,
        target.model,
        { promptChars: chars, maxTokens: sampling.maxTokens },
        settings
      );
      if (overBudget) {
        if (settings.onBudgetExceeded === 'refuse') throw overBudget;
        budgetRoutedLocal = true;
        attempts.push({ target: target.ref, outcome: 'skipped', detail: overBudget.message });
        if (!plan.targets.some((t) => t.kind === 'local')) plan.targets.push({ kind: 'local' });
        continue;
      }

      // Prepared once: every cloud model in the chain gets the same redacted text. Detection failure stops here.
      prepared ??= await this.prepare(request, plan, signal);
      trace.entityCounts = prepared.entityCounts;
      start();
      const outcome = await sendWithRetries({ gate: this.deps.gate, health: this.deps.health, retry: this.retry }, target, prepared, {
        source: request.source === 'api' ? 'api' : 'chat',
        settings,
        signal,
        sampling: { temperature: sampling.temperature, topP: sampling.topP, maxTokens: sampling.maxTokens, stop },
        onTextChunk: forward,
        hasStreamed: () => streamed
      });
      attempts.push(...outcome.attempts);
      if ('result' in outcome) {
        attempts.push({ target: target.ref, outcome: 'answered', detail: `${target.provider.kind}` });
        const redacted = Object.values(prepared.entityCounts).reduce((a, b) => a + b, 0);
        return {
          ...outcome.result,
          metrics: { ...outcome.result.metrics, route: routeInfo(plan, attempts, target.ref, plan.mode, redacted) }
        };
      }
      lastError = outcome.error;
    }
    noteSkippedBefore(plan.targets.length);
    if (attempts.length === 1 && lastError instanceof Error) throw lastError;
    throw new NoRouteError(attempts, { cause: lastError });
  }

  /** What the next send would put on the wire, without sending it. */
  async preview(request: RouteRequest): Promise<EgressPreview> {
    let plan: RoutePlan;
    try {
      plan = this.planner.plan({ ...request, promptChars: promptChars(request.turns) }, this.settings);
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
      const prepared = await this.prepare(request, plan);
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

  /** A request that got no reply: blocked (privacy switch, detection, budget), stopped by the user, or failed. */
  private failureEntry(
    request: Pick<RouteRequest, 'source' | 'conversationId' | 'requested'>,
    error: unknown,
    trace: RouteTrace,
    createdAt: number,
    aborted: boolean
  ): UsageEntry {
    const blockReason = blockReasonOf(error);
    return {
      createdAt,
      source: request.source,
      ...(trace.target ?? requestedTarget(request.requested ?? this.settings.defaultModel)),
      outcome: aborted ? 'stopped' : blockReason ? 'blocked' : 'failed',
      blockReason,
      conversationId: request.conversationId,
      entityCounts: trace.entityCounts
    };
  }

  /** Counting must never cost the user a reply: a write that fails is reported and dropped. */
  private logUsage(entry: UsageEntry): void {
    try {
      this.deps.usage.record(entry);
    } catch (error) {
      console.warn(`warning: the usage log could not record a request: ${(error as Error)?.message ?? error}`);
    }
  }

  private prepare(request: RouteRequest, plan: RoutePlan, signal?: AbortSignal): Promise<PreparedEgress> {
    return this.deps.gate.prepare({
      conversationId: request.conversationId,
      mode: plan.mode,
      messages: toCloudMessages(request.turns),
      unredact: request.unredact,
      signal
    });
  }
}

function blockReasonOf(error: unknown): UsageBlockReason | null {
  if (error instanceof EgressBlockedError) return error.reason === 'local-only' ? 'privacy' : 'detection';
  if (error instanceof BudgetExceededError) return 'budget';
  return null;
}

/** Who a request that never reached a model was meant for, from the model it named. */
function requestedTarget(ref: string): Pick<UsageEntry, 'model' | 'provider' | 'location'> {
  try {
    const parsed = parseRef(ref);
    if (parsed.kind === 'cloud') return { model: ref, provider: parsed.provider, location: 'cloud' };
  } catch {
    // An invalid ref is counted under the name it was given.
  }
  return { model: ref, provider: null, location: 'local' };
}

function localOnlyFeature(local: LocalGenerationOptions | undefined): PlanRequest['localOnlyFeature'] {
  if (local?.tools?.length) return 'tools';
  if (local?.responseFormat && local.responseFormat.type !== 'text') return 'responseFormat';
  return undefined;
}

function routeInfo(
  plan: RoutePlan,
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
