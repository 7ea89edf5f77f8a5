// Words and numbers for cloud providers, prices, costs and routes, shared by settings, the picker and replies.
import type {
  ChatModelOption,
  ModelPrice,
  ProviderHealth,
  ProviderKeyStatus,
  ProviderKind,
  RouteAttempt,
  RoutePolicy
} from '../../src-main/core/shared/types';

export const PROVIDER_KINDS: { kind: ProviderKind; label: string }[] = [
  { kind: 'openai', label: 'OpenAI' },
  { kind: 'anthropic', label: 'Anthropic' },
  { kind: 'gemini', label: 'Google Gemini' },
  { kind: 'openrouter', label: 'OpenRouter' },
  { kind: 'groq', label: 'Groq' },
  { kind: 'mistral', label: 'Mistral' },
  { kind: 'openai-compatible', label: 'OpenAI-compatible server' }
];

export const kindLabel = (kind: ProviderKind) => PROVIDER_KINDS.find((entry) => entry.kind === kind)?.label ?? kind;

export const ROUTE_POLICIES: { policy: RoutePolicy; label: string; explanation: string }[] = [
  { policy: 'local-only', label: 'Local only', explanation: 'Only the local model answers; nothing leaves this computer.' },
  {
    policy: 'local-first',
    label: 'Local first',
    explanation: 'The local model answers; the cloud chain takes over when it cannot (none loaded, prompt too long, a failure).'
  },
  {
    policy: 'cloud-preferred',
    label: 'Cloud preferred',
    explanation: 'The cloud chain answers in order; the local model takes over when no cloud model can.'
  }
];

export const policyLabel = (policy: RoutePolicy) => ROUTE_POLICIES.find((entry) => entry.policy === policy)?.label ?? policy;

const HEALTH_LABELS: Record<ProviderHealth['state'], string> = {
  ok: 'OK',
  untested: 'Not tested',
  'no-key': 'No key',
  unauthorized: 'Key rejected',
  unreachable: 'Unreachable',
  'cooling-down': 'Cooling down'
};

export const healthLabel = (health: ProviderHealth) => HEALTH_LABELS[health.state];

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The health's detail, and until when a cooling-down provider is skipped. */
export function healthDetail(health: ProviderHealth): string | null {
  const until = health.until === null ? null : `Skipped until ${timeFormat.format(health.until)}.`;
  return [health.detail, until].filter((part) => part).join(' ') || null;
}

/** "Key set ····abcd", "Key set" (short keys don't show their end), or "No key". */
export function keyLabel(key: ProviderKeyStatus): string {
  if (!key.set) return 'No key';
  return key.last4 ? `Key set ····${key.last4}` : 'Key set';
}

const usd = (minimumFractionDigits: number, maximumFractionDigits: number) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', minimumFractionDigits, maximumFractionDigits });
const wholeDollars = usd(0, 0);
const priceFormat = usd(2, 3);
const centsFormat = usd(2, 2);
const smallAmountFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 });

/** A cost or a spend: "$0.0012" below a cent (two significant digits), "$1.25" above, "$0.00" for nothing. */
export function formatUsd(value: number): string {
  if (value === 0) return centsFormat.format(0);
  return value < 0.01 ? smallAmountFormat.format(value) : centsFormat.format(value);
}

const dollarsPerMillion = (value: number) => (Number.isInteger(value) ? wholeDollars : priceFormat).format(value);

/** "$1.25 / $10 per 1M tokens" (input / output). */
export const formatPrice = (price: ModelPrice) =>
  `${dollarsPerMillion(price.inputPerMillion)} / ${dollarsPerMillion(price.outputPerMillion)} per 1M tokens`;

/**
 * A picker entry's text: the model ("provider/model" for a cloud one, since two providers may offer the
 * same id and a closed select hides its group), "local" for this computer's, its price, or why it can't be chosen.
 */
export function optionText(option: ChatModelOption): string {
  const isCloudModel = !option.local && option.ref !== 'auto';
  const parts = [isCloudModel ? option.ref : option.label];
  if (option.local) parts.push('local');
  if (option.price) parts.push(formatPrice(option.price));
  if (!option.available && option.unavailableReason) parts.push(option.unavailableReason);
  return parts.join(' · ');
}

export const OUTCOME_LABELS: Record<RouteAttempt['outcome'], string> = {
  answered: 'answered',
  failed: 'failed',
  skipped: 'skipped'
};

/** What a route target is called in a reply: "local model" or the cloud ref. */
export const targetLabel = (target: string) => (target === 'local' ? 'local model' : target);

/** Model picker entries of one group (Automatic, Local, or one provider). */
export interface ModelOptionGroup {
  name: string;
  options: ChatModelOption[];
}

/** The picker's groups, in the order main lists their entries. */
export function groupOptions(options: readonly ChatModelOption[]): ModelOptionGroup[] {
  const groups = new Map<string, ChatModelOption[]>();
  for (const option of options) {
    const group = groups.get(option.group);
    if (group) group.push(option);
    else groups.set(option.group, [option]);
  }
  return [...groups].map(([name, options]) => ({ name, options }));
}
