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
