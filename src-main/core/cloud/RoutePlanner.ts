import type { PrivacyMode, RouteAttempt, RoutePolicy, RouterSettings } from '../shared/types';
import type { EngineService } from '../engine/EngineService';
import type { PrivacyService } from '../privacy/PrivacyService';
import { EgressBlockedError } from '../egress/errors';
import type { ProviderHealth } from '../providers/ProviderHealth';
import type { ProviderStore } from '../providers/ProviderStore';
import { CHARS_PER_TOKEN } from './BudgetGuard';
import { parseCloudRef, parseRef } from './modelRefs';
import type { CloudTarget } from './sendWithRetries';
import { LocalOnlyFeatureError, NoCloudModelError, NoRouteError } from './routingErrors';

export type Target = { kind: 'local' } | ({ kind: 'cloud' } & CloudTarget);

/** Which models may answer one request, in order, and why. */
export interface RoutePlan {
  requested: string;
  policy: RoutePolicy | null;
  mode: PrivacyMode;
  reason: string;
  targets: Target[];
  /** Candidates left out, with the error that explains it and the index of the target they preceded. */
  skipped: (RouteAttempt & { error: Error; before: number })[];
}

export interface PlanRequest {
  /** 'local', a local model's id, 'auto' or `provider/model`; null: the default model. */
  requested: string | null;
  /** For 'auto'; null: the default policy. */
  policy: RoutePolicy | null;
  /** The conversation's own mode; null: the global one. */
  privacyMode: PrivacyMode | null;
  /** Ask a cloud model for this one message. */
  useCloud?: boolean;
  /** Tool calls or a JSON mode, which only the local model serves. */
  localOnlyFeature?: LocalOnlyFeatureError['feature'];
  promptChars: number;
}

/** Decides the route: the requested model (or `auto` under its policy), then the fallback chain, minus what cannot answer now. */
export class RoutePlanner {
  constructor(
    private readonly deps: {
      engine: EngineService;
      providers: ProviderStore;
      health: ProviderHealth;
      privacy: PrivacyService;
    }
  ) {}

  plan(request: PlanRequest, settings: RouterSettings): RoutePlan {
    const requested = request.requested ?? settings.defaultModel;
    const mode = this.deps.privacy.modeFor(request.privacyMode);
    const chain = settings.cloudChain;
    const parsed = parseRef(requested);
    let policy: RoutePolicy | null = null;
    let reason: string;
    let candidates: string[];

    if (request.localOnlyFeature && parsed.kind === 'cloud') throw new LocalOnlyFeatureError(request.localOnlyFeature, requested);
    if (parsed.kind === 'local' && parsed.id !== null) this.deps.engine.requireModelById(parsed.id);

    if (parsed.kind === 'local' && !request.useCloud) {
      candidates = ['local'];
      reason = 'This conversation uses the local model.';
    } else if (parsed.kind === 'cloud' && !request.useCloud) {
      candidates = [requested, ...chain.filter((ref) => ref !== requested)];
      reason = `This conversation uses ${requested}${chain.some((ref) => ref !== requested) ? ', with the fallback chain after it' : ''}.`;
    } else if (request.localOnlyFeature) {
      candidates = ['local'];
      reason = `Automatic: ${request.localOnlyFeature === 'tools' ? 'tool calls are' : 'JSON modes are'} served by the local model only.`;
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
    const skipped: RoutePlan['skipped'] = [];
    const skip = (target: string, error: Error, detail: string) =>
      skipped.push({ before: targets.length, target, outcome: 'skipped', detail, error });
    for (const ref of candidates) {
      if (ref === 'local') {
        if (this.deps.engine.loadedModel) targets.push({ kind: 'local' });
        else
          skip(
            'local',
            errorOf(() => this.deps.engine.requireModel()),
            'no local model is loaded'
          );
        continue;
      }
      const { provider: name, model } = parseCloudRef(ref);
      const provider = this.deps.providers.find(name);
      if (!provider) {
        skip(
          ref,
          errorOf(() => this.deps.providers.get(name)),
          `there is no provider named ${name}`
        );
        continue;
      }
      if (mode === 'local-only') {
        const error = new EgressBlockedError(
          'local-only',
          'Privacy is set to Local only: nothing leaves this machine, so cloud models are disabled. Change it in the privacy switch to use one.'
        );
        skip(ref, error, 'privacy is Local only');
        continue;
      }
      const until = this.deps.health.coolingUntil(name);
      if (until !== null) {
        const error = new NoRouteError([{ target: ref, outcome: 'skipped', detail: `cooling down after repeated failures` }]);
        skip(ref, error, `${name} is cooling down after repeated failures until ${new Date(until).toLocaleTimeString()}`);
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
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  return new Error('unexpected success');
}
