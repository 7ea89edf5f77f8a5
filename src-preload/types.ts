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
  model: string;
  backend: GpuBackend;
  promptTokens: number;
  completionTokens: number;
  timeToFirstTokenMs: number | null;
  tokensPerSecond: number;
  totalMs: number;
  queueWaitMs: number;
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
