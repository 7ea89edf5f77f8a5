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
  flashAttention: boolean;
  /** null: node-llama-cpp's default. */
  batchSize: number | null;
  kvCacheType: KvCacheType;
  /** Reloaded when the app (or `enclave serve` without --model) starts. */
  lastModelPath: string | null;
  /** The models folder; null: `<data dir>/models`. */
  modelsDir: string | null;
}

export interface ModelInfo {
  /** The file name without ".gguf": the model's id in the API and the models folder. */
  id: string;
  path: string;
  name: string;
  sizeBytes: number;
  architecture: string | null;
  trainContextSize: number;
  contextSize: number;
  totalLayers: number;
  offloadedLayers: number;
  threads: number;
  flashAttention: boolean;
  batchSize: number;
  kvCacheType: KvCacheType;
  /** What the loaded model and its context use, measured after the load (VRAM) and estimated (RAM). */
  memory: { vramBytes: number; ramBytes: number };
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
  /** The document excerpts a reply was written from, by their number `n`; empty for an ordinary reply. */
  sources: MessageSource[];
}

/** A document excerpt shown to the model for a reply; the reply cites it as `[n]`. */
export interface MessageSource {
  n: number;
  /** null once the document (or, for chunkId, its chunk) is deleted: the copy below stays with the reply. */
  documentId: string | null;
  chunkId: string | null;
  documentName: string;
  /** 1-based page for paged formats (PDF); null otherwise. */
  page: number | null;
  headingPath: string[];
  excerpt: string;
  /** Where the excerpt sits in the document's extracted text (UTF-16 code units, end exclusive). */
  charStart: number;
  charEnd: number;
  /** The reply cites it. */
  cited: boolean;
}

export type DocumentTool = 'summarize' | 'extract' | 'compare';

/** How far a document tool has got: `done` of about `total` model calls (map-reduce may add some on the way). */
export interface DocumentTaskProgress {
  taskId: string;
  tool: DocumentTool;
  /** map: summarizing parts; reduce: combining part summaries; final: the answer; extract: filling the fields. */
  stage: 'map' | 'reduce' | 'final' | 'extract';
  done: number;
  total: number;
}

export interface DocumentSummary {
  documentId: string;
  documentName: string;
  summary: string;
  /** The model that wrote the final summary. */
  model: string;
  /** Model calls made (1 when the document fits one call). */
  calls: number;
  /** 1: summarized in one pass; more: map, then reduce passes. */
  passes: number;
}

export interface DocumentExtraction {
  documentId: string;
  documentName: string;
  /** JSON matching the schema (the local model's grammar enforces its structure). */
  data: unknown;
  model: string;
  /** The document was longer than one call can read: only its beginning was used. */
  truncated: boolean;
}

/** What the in-app viewer shows of a document. */
export interface DocumentView {
  document: DocumentInfo;
  /** The PDF file itself, for a PDF; null for other formats, which show their passages as text. */
  pdf: Uint8Array | null;
  /** The passages in reading order. */
  chunks: { id: string; page: number | null; headingPath: string[]; text: string; charStart: number; charEnd: number }[];
}

export interface DocumentComparison {
  documentIds: [string, string];
  documentNames: [string, string];
  /** Markdown. */
  comparison: string;
  model: string;
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

export type DocumentStatus = 'queued' | 'parsing' | 'embedding' | 'ready' | 'failed';
export type DocumentFormat = 'pdf' | 'docx' | 'markdown' | 'text' | 'html' | 'csv';

export interface CollectionInfo {
  id: string;
  name: string;
  createdAt: number;
  documentCount: number;
}

export interface DocumentInfo {
  id: string;
  collectionId: string;
  /** The collection's name. */
  collection: string;
  /** The uploaded file's name. */
  name: string;
  mime: string;
  format: DocumentFormat;
  bytes: number;
  sha256: string;
  status: DocumentStatus;
  /** Why it failed; null unless failed. */
  error: string | null;
  /** Page count for PDFs; null for formats without pages. */
  pages: number | null;
  /** 0..1 within the current status. */
  progress: number;
  chunkCount: number;
  createdAt: number;
  updatedAt: number;
}

/** What happened to one file of an ingestion batch. */
export interface IngestFileResult {
  /** The path (or upload name) as given. */
  source: string;
  /** The document created, or the one it duplicates; null when the file was refused outright. */
  document: DocumentInfo | null;
  duplicate: boolean;
  /** Why the file was refused before it became a document (unreadable, too large); null otherwise. */
  error: string | null;
}

export interface IngestProgress {
  documentId: string;
  status: DocumentStatus;
  progress: number;
  error: string | null;
}

/** A collection or single document a conversation answers from. */
export interface ConversationSource {
  kind: 'collection' | 'document';
  id: string;
  name: string;
}

// --- Model manager: catalogue, downloads, the models folder, load options ---

export type ModelRole = 'chat' | 'embedding';
export type ModelSizeClass = 'small' | 'medium' | 'large';
/** Where a model would run here: all layers on the GPU, on the CPU (slow), or not at all. */
export type FitVerdict = 'gpu' | 'cpu' | 'no';
/** Rough generation speed: fast ≳ 20 tokens/s, moderate ≳ 5, slow below. */
export type SpeedClass = 'fast' | 'moderate' | 'slow';

/** How a model would fit this machine, at `contextSize`. */
export interface ModelFit {
  verdict: FitVerdict;
  /** null when it does not fit. */
  speedClass: SpeedClass | null;
  /** Weights plus context, on the GPU and in RAM together. */
  estimatedMemoryBytes: number;
  estimatedVramBytes: number;
  estimatedRamBytes: number;
  /** Layers the estimate offloads to the GPU (0 on the CPU). */
  gpuLayers: number;
  contextSize: number;
  /** node-llama-cpp's compatibility score (0–1) for a downloaded file; null for an estimate from catalogue figures. */
  compatibilityScore: number | null;
  /** The verdict in words, e.g. "Fits in 8 GiB of VRAM with room for a 4096-token context". */
  reason: string;
}

export interface MachineMemory {
  backend: GpuBackend | null;
  totalRamBytes: number;
  freeRamBytes: number;
  totalVramBytes: number;
  freeVramBytes: number;
}

export interface CatalogueEntry {
  /** Stable id, e.g. "qwen2.5-7b-instruct-q4_k_m"; accepted by loadModel, `--model` and startDownload. */
  id: string;
  name: string;
  role: ModelRole;
  /** Chat models only. */
  sizeClass: ModelSizeClass | null;
  description: string;
  /** node-llama-cpp's form: `hf:user/repo/file.gguf`. */
  uri: string;
  fileName: string;
  sizeBytes: number;
  /** null where the publisher's checksum is not known to us: the size is still checked. */
  sha256: string | null;
  license: string;
  /** e.g. "7.6B". */
  parameters: string;
  contextLength: number;
  quantization: string;
  fit: ModelFit;
  /** The downloaded file's id when it is in the models folder. */
  localFileId: string | null;
}

export interface ModelCatalogue {
  entries: CatalogueEntry[];
  /** 'bundled': resources/; 'file': refreshed from a file (kept in the data folder). */
  source: 'bundled' | 'file';
  /** When the catalogue file says it was written (ISO date), if it says. */
  updatedAt: string | null;
  machine: MachineMemory;
}

export type DownloadStatus = 'queued' | 'downloading' | 'paused' | 'verifying' | 'done' | 'failed' | 'cancelled';

export interface DownloadInfo {
  id: string;
  /** What was asked for: a catalogue id, an `hf:` URI or a URL. */
  source: string;
  /** The URL fetched. */
  url: string;
  catalogueId: string | null;
  fileName: string;
  receivedBytes: number;
  /** null until the server says (or the catalogue knows). */
  totalBytes: number | null;
  bytesPerSecond: number;
  /** null while unknown. */
  etaSeconds: number | null;
  status: DownloadStatus;
  /** Why it failed, in words; null otherwise. */
  error: string | null;
  errorCode: string | null;
  /** The file's id in the models folder once done. */
  modelFileId: string | null;
  startedAt: number;
  updatedAt: number;
}

/** What a GGUF file's header says (nothing is loaded). */
export interface ModelFileMetadata {
  fileName: string;
  path: string;
  sizeBytes: number;
  /** general.name, when set. */
  name: string | null;
  architecture: string | null;
  /** e.g. "7.6B", from the tensors (or general.size_label). */
  parameters: string | null;
  parameterCount: number | null;
  /** e.g. "Q4_K_M". */
  quantization: string | null;
  contextLength: number | null;
  layers: number | null;
  hasChatTemplate: boolean;
  /** An embedding model (pooling set, or a known embedding architecture). */
  role: ModelRole;
}

/** A model file in the models folder. */
export interface LocalModelFile extends ModelFileMetadata {
  /** The file name without ".gguf"; accepted by loadModel, `--model` and the API's `model`. */
  id: string;
  /** A link to a file elsewhere (imported with "link"), not a copy. */
  linked: boolean;
  catalogueId: string | null;
  /** Set instead of the metadata when the header cannot be read (the file is listed still, so it can be removed). */
  error: string | null;
}

export type KvCacheType = 'f16' | 'q8_0' | 'q4_0';
/** 'max': every layer on the GPU. */
export type GpuLayersChoice = GpuLayersSetting | 'max';

export interface ModelLoadOptions {
  gpuLayers?: GpuLayersChoice;
  contextSize?: number;
  /** Where the model supports it; ignored (off) where it does not. */
  flashAttention?: boolean;
  batchSize?: number;
  kvCacheType?: KvCacheType;
}

/** The memory a load with these options would take, before loading. */
export interface LoadEstimate {
  path: string;
  fit: ModelFit;
  /** The model's layer count: the GPU layers slider's maximum. */
  totalLayers: number;
  trainContextSize: number;
  flashAttentionSupported: boolean;
}

export interface ModelImportResult {
  file: LocalModelFile;
}

// ── Usage metrics (core/metrics): what the dashboard and `enclave stats` show. ──

/** Who asked: the desktop app, the `enclave` CLI, the local HTTP API, or document questions. */
export type UsageSource = 'app' | 'cli' | 'api' | 'documents';
export type UsageOutcome = 'answered' | 'stopped' | 'failed' | 'blocked';
/** The privacy switch (Local only), personal-data detection failing in the gate, or a monthly budget. */
export type UsageBlockReason = 'privacy' | 'detection' | 'budget';

export interface UsageStatsQuery {
  /** First local day, yyyy-mm-dd; absent: the day of the first request stored. */
  from?: string;
  /** Last local day (inclusive), yyyy-mm-dd; absent: today. */
  to?: string;
  /** An IANA zone (Europe/Berlin) or a UTC offset (+02:00, UTC); days are calendar days there. */
  timeZone: string;
  /** The cloud model whose prices value the local requests, as `kind/model` or `provider/model` from the price table. */
  savingsModel?: string | null;
}

/** Counts and sums over a set of requests. */
export interface UsageFigures {
  requests: number;
  answered: number;
  stopped: number;
  failed: number;
  blocked: number;
  localRequests: number;
  cloudRequests: number;
  promptTokens: number;
  completionTokens: number;
  /** What the cloud requests cost (US dollars). */
  costUsd: number;
  /** What the local requests' tokens would have cost on the savings model (0 without one). */
  savedUsd: number;
}

export interface UsageTotals extends UsageFigures {
  /** Requests that left the machine (answered, stopped or failed at a cloud provider). */
  sentToCloud: number;
  blockedByPrivacy: number;
  blockedByDetection: number;
  blockedByBudget: number;
  redactedEntities: number;
}

export interface UsageDayRow extends UsageTotals {
  /** Local calendar day, yyyy-mm-dd. */
  day: string;
  /** savedUsd summed over the range up to and including this day. */
  savedToDateUsd: number;
}

export interface UsageLatency {
  /** Time to first token, ms (p50 and p95, linear interpolation between ranks); null: no timed reply. */
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  /** Generation speed, tokens per second (p50, p95). */
  tokensPerSecondP50: number | null;
  tokensPerSecondP95: number | null;
}

export interface UsageModelRow extends UsageFigures, UsageLatency {
  model: string;
  provider: string | null;
  location: 'local' | 'cloud';
}

export interface UsageModelDayRow extends UsageModelRow {
  day: string;
}

export interface UsageSourceRow {
  source: UsageSource;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

export interface UsageProviderDayRow {
  day: string;
  provider: string;
  requests: number;
  costUsd: number;
}

/** One month's cloud spend, for one provider or (provider null) all, against the budget set for it. */
export interface UsageBudgetRow {
  /** yyyy-mm. */
  month: string;
  provider: string | null;
  costUsd: number;
  /** null: no budget set. */
  budgetUsd: number | null;
}

export interface UsageEntityDayRow {
  day: string;
  /** The PII type (EMAIL, PERSON…). */
  type: string;
  count: number;
}

export interface UsageStats {
  range: { from: string; to: string; timeZone: string };
  savingsModel: { ref: string; price: ModelPrice } | null;
  totals: UsageTotals;
  days: UsageDayRow[];
  models: UsageModelRow[];
  modelDays: UsageModelDayRow[];
  sources: UsageSourceRow[];
  providerDays: UsageProviderDayRow[];
  budgets: UsageBudgetRow[];
  entityDays: UsageEntityDayRow[];
  /** Cloud models with a known price, for the savings picker (`kind/model` or `provider/model`). */
  pricedModels: string[];
}

/** One passage document search found (core shape; the HTTP API and the CLI print a subset). */
export interface DocumentSearchHit {
  chunkId: string;
  documentId: string;
  collectionId: string;
  /** The uploaded file's name. */
  name: string;
  /** 1-based page for PDFs; null for formats without pages. */
  page: number | null;
  headingPath: string[];
  text: string;
  /** Where the passage sits in the document's extracted text (UTF-16 code units, end exclusive). */
  charStart: number;
  charEnd: number;
  /** The fused rank score, 0..1 (1: first in every ranking): orders results, says nothing across queries. */
  score: number;
  /**
   * How much of the query the passage covers, 0..1 (IDF-weighted share of the query's content words in it,
   * its headings or its document's name): comparable across queries, the "nothing relevant" signal.
   */
  relevance: number;
}

export interface DocumentSearchResult {
  results: DocumentSearchHit[];
  /** 'hybrid' when vector search took part (an embedding model is set and chunks are embedded). */
  mode: 'keyword' | 'hybrid';
}

export interface EmbeddingSettings {
  /** Absolute path of the GGUF that embeds documents and queries; null: keyword search only. */
  modelPath: string | null;
}

export interface EmbeddingStatus extends EmbeddingSettings {
  /** The vector index's dimension (the model's), once the model has been loaded. */
  dimensions: number | null;
  /** Why vector search cannot run here (sqlite-vec failed to load); null when it can. */
  vectorUnavailable: string | null;
  /** Chunks embedded with the current model, and all chunks of searchable documents. */
  embeddedChunks: number;
  totalChunks: number;
  /** A background embedding job is running. */
  embedding: boolean;
}
