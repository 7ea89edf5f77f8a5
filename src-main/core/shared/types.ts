// Data shapes that cross the bridge. Plain, structured-clone-safe objects only.

export type GpuLayersSetting = 'auto' | number;
export type ThreadsSetting = 'auto' | number;
export type GpuBackend = 'cuda' | 'vulkan' | 'metal' | 'cpu';

export interface SamplingSettings {
  temperature: number;
  topP: number;
  maxTokens: number;
  /** null: the engine's context size setting. */
  contextSize: number | null;
}

export interface EngineSettings {
  gpuLayers: GpuLayersSetting;
  contextSize: number;
  threads: ThreadsSetting;
  lastModelPath: string | null;
}

export interface ModelInfo {
  path: string;
  name: string;
  sizeBytes: number;
  architecture: string | null;
  trainContextSize: number;
  contextSize: number;
  totalLayers: number;
  offloadedLayers: number;
  threads: number;
}

export interface EngineStatus {
  backend: GpuBackend | null;
  gpuDeviceNames: string[];
  cpuCount: number;
  model: ModelInfo | null;
  loading: { path: string; progress: number } | null;
  queueLength: number;
}

export interface ReplyMetrics {
  /** The local model's id, or the cloud model as `provider/model`. */
  model: string;
  backend: GpuBackend | 'cloud';
  promptTokens: number;
  completionTokens: number;
  timeToFirstTokenMs: number | null;
  tokensPerSecond: number;
  totalMs: number;
  queueWaitMs: number;
  /** The cloud provider's name; null for the local model. */
  provider: string | null;
  /** US dollars; null when local or the model's price is unknown. */
  costUsd: number | null;
  route: RouteInfo | null;
}

export type PrivacyMode = 'local-only' | 'redact' | 'off';
export type RoutePolicy = 'local-only' | 'local-first' | 'cloud-preferred';

/** One step the router took for a reply. */
export interface RouteAttempt {
  /** 'local' or `provider/model`. */
  target: string;
  outcome: 'answered' | 'failed' | 'skipped';
  detail: string;
}

/** Which model answered a reply, and why. */
export interface RouteInfo {
  /** What the conversation asked for: 'local', 'auto' or `provider/model`. */
  requested: string;
  policy: RoutePolicy | null;
  answeredBy: string | null;
  /** Why the route started where it did, in words. */
  reason: string;
  attempts: RouteAttempt[];
  /** The privacy mode applied to the cloud call; null when nothing left the machine. */
  privacyMode: PrivacyMode | null;
  /** Entities replaced by placeholders in what left. */
  redactedEntities: number;
}

export type MessageRole = 'user' | 'assistant';
export type MessageStatus = 'complete' | 'streaming' | 'stopped' | 'error';

export interface Message {
  id: string;
  conversationId: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  error: string | null;
  createdAt: number;
  metrics: ReplyMetrics | null;
}

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** A highlighted excerpt when the list was filtered by a search query. */
  snippet: string | null;
}

export interface Conversation extends ConversationSummary {
  systemPrompt: string;
  sampling: SamplingSettings;
  /** 'local', 'auto' or `provider/model`; null: the router's default model. */
  model: string | null;
  /** Route policy for 'auto'; null: the router's default. */
  routePolicy: RoutePolicy | null;
  /** null: the global privacy mode. */
  privacyMode: PrivacyMode | null;
  messages: Message[];
}

export interface ThreadTuneResult {
  modelPath: string;
  best: number;
  samples: { threads: number; tokensPerSecond: number }[];
  cached: boolean;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  platform: string;
}

export interface ApiServerStatus {
  enabled: boolean;
  running: boolean;
  /** Base URL for OpenAI clients (…/v1) while running. */
  url: string | null;
  port: number;
  /** The bearer token clients send; only while the API is enabled. */
  token: string | null;
  tokenSource: 'env' | 'file';
  /** Why the server is not running although enabled (e.g. the port is taken). */
  error: string | null;
}

export interface ExchangeStarted {
  userMessage: Message | null;
  assistantMessage: Message;
}

export type ProviderKind = 'openai' | 'anthropic' | 'gemini' | 'openrouter' | 'groq' | 'mistral' | 'openai-compatible';

export interface ProviderKeyStatus {
  set: boolean;
  /** The key's last 4 characters (only for keys of 12 characters or more). */
  last4: string | null;
}

export interface ProviderHealth {
  state: 'ok' | 'untested' | 'no-key' | 'unauthorized' | 'unreachable' | 'cooling-down';
  detail: string | null;
  /** Until when a cooling-down provider is skipped (ms since epoch). */
  until: number | null;
}

export interface ProviderInfo {
  name: string;
  kind: ProviderKind;
  /** The endpoint in use (the kind's default unless overridden). */
  baseUrl: string;
  models: string[];
  key: ProviderKeyStatus;
  health: ProviderHealth;
  spentThisMonthUsd: number;
}

export interface ProviderTestResult {
  ok: boolean;
  models: string[];
  error: string | null;
  latencyMs: number;
}

export interface ModelPrice {
  /** US dollars per million tokens. */
  inputPerMillion: number;
  outputPerMillion: number;
}

/** An entry of the model picker. */
export interface ChatModelOption {
  /** 'local', 'auto' or `provider/model`. */
  ref: string;
  label: string;
  /** 'Local', 'Automatic' or the provider's name. */
  group: string;
  local: boolean;
  available: boolean;
  unavailableReason: string | null;
  price: ModelPrice | null;
}

export interface KeyStoreInfo {
  kind: 'keychain' | 'encrypted-file' | null;
  description: string;
  /** Why keys cannot be stored (no keychain service); null when they can. */
  error: string | null;
}

export interface RouterSettings {
  /** The model for conversations that do not pick one: 'local', 'auto' or `provider/model`. */
  defaultModel: string;
  policy: RoutePolicy;
  /** Cloud models tried in order by 'auto' and as fallbacks. */
  cloudChain: string[];
  /** Longest wait for a provider to start answering, and between two streamed chunks. */
  timeoutMs: number;
  /** Retries per cloud model on 429, 5xx, timeouts and network errors. */
  maxRetries: number;
  /** Monthly spending limit over all providers; null: none. */
  monthlyBudgetUsd: number | null;
  /** Monthly spending limit per provider name. */
  providerBudgetsUsd: Record<string, number>;
  /** What a request that would exceed a budget does. */
  onBudgetExceeded: 'refuse' | 'local';
}

export interface PrivacySettings {
  mode: PrivacyMode;
  /** Terms always redacted (client names, project code names). */
  alwaysRedact: string[];
  /** Terms never redacted. */
  neverRedact: string[];
}

export interface EgressRedaction {
  start: number;
  end: number;
  type: string;
  placeholder: string;
  /** The original text (shown to the user locally; it leaves only when `unredacted`). */
  original: string;
  /** The user chose to send the original text instead of the placeholder. */
  unredacted: boolean;
}

/** Exactly what a send would put on the wire, before it happens. */
export interface EgressPreview {
  /** The cloud model it would go to first; null when the reply would stay local. */
  target: string | null;
  mode: PrivacyMode;
  /** Why nothing would leave (a local reply, Local only, no cloud model, detection failed). */
  blockedReason: string | null;
  /** The send would be refused (not merely answered locally). */
  refused: boolean;
  messages: { role: 'system' | 'user' | 'assistant'; text: string; redactions: EgressRedaction[] }[];
  entityCounts: Record<string, number>;
}

export interface EgressRecord {
  id: string;
  createdAt: number;
  provider: string;
  model: string;
  conversationId: string | null;
  source: 'chat' | 'api' | 'key-test';
  privacyMode: PrivacyMode;
  /** JSON text of the request handed to the provider. */
  payload: string;
  entityCounts: Record<string, number>;
  status: 'sent' | 'completed' | 'failed' | 'aborted';
  error: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  costUsd: number | null;
}

export interface EgressFilter {
  provider?: string;
  conversationId?: string;
  /** ms since epoch, inclusive. */
  from?: number;
  /** ms since epoch, exclusive. */
  to?: number;
  /** Matches the payload text. */
  text?: string;
  limit?: number;
  offset?: number;
}

export interface EgressExport {
  fileName: string;
  mimeType: string;
  content: string;
}
