// The single list of calls (renderer -> main, request/response) and events
// (main -> renderer, push) between the UI and the core. The preload exposes
// exactly these, main registers handlers for exactly these, and the browser
// test harness wires them to the real core the same way.
import { z } from 'zod';
import type {
  ApiServerStatus,
  AppInfo,
  CatalogueEntry,
  ChatModelOption,
  Conversation,
  ConversationSummary,
  DocumentComparison,
  DocumentSearchResult,
  DocumentExtraction,
  DocumentSummary,
  DocumentView,
  IngestFileResult,
  CollectionInfo,
  ConversationSource,
  DocumentInfo,
  DownloadInfo,
  EgressExport,
  EmbeddingStatus,
  EgressPreview,
  EgressRecord,
  EngineSettings,
  EngineStatus,
  ExchangeStarted,
  KeyStoreInfo,
  LoadEstimate,
  LocalModelFile,
  ModelCatalogue,
  ModelFileMetadata,
  ModelInfo,
  PrivacySettings,
  ProviderInfo,
  ProviderTestResult,
  RouterSettings,
  UsageStats,
  ThreadTuneResult
} from '../src-main/core/shared/types';
import type { ErrorCode } from '../src-main/core/shared/errorCodes';
import { eventNames, type EventName, type EventPayload } from '../src-main/core/shared/events';

export { eventNames, type EventName, type EventPayload };

interface CallSpec<Args extends z.ZodType, Result> {
  args: Args;
  /** Type-only marker for the result; never read at run time. */
  result?: Result;
}

const call =
  <Result>() =>
  <Args extends z.ZodType>(args: Args): CallSpec<Args, Result> => ({ args });

const id = z.string().min(1).max(64);
const noArgs = z.object({}).strict();
const positiveInt = (max: number) => z.number().int().min(1).max(max);

export const gpuLayersSchema = z.union([z.literal('auto'), z.number().int().min(0).max(10_000)]);
export const gpuLayersChoiceSchema = z.union([gpuLayersSchema, z.literal('max')]);
export const kvCacheTypeSchema = z.enum(['f16', 'q8_0', 'q4_0']);
const contextSizeSchema = z.number().int().min(64).max(1_048_576);
/** An absolute path the core checks; the contract bounds its length only. */
const filePath = z.string().min(1).max(4096);
const collectionName = z.string().trim().min(1).max(200);
/** A model file's id (its file name without ".gguf") or a catalogue entry's id. */
const modelId = z.string().min(1).max(255);
export const modelLoadOptionsSchema = z
  .object({
    gpuLayers: gpuLayersChoiceSchema.optional(),
    contextSize: contextSizeSchema.optional(),
    flashAttention: z.boolean().optional(),
    batchSize: z.number().int().min(1).max(65_536).optional(),
    kvCacheType: kvCacheTypeSchema.optional()
  })
  .strict();
/** Exactly one of `id` (a model file or catalogue entry) or `path` (an absolute .gguf path). */
const oneModelTarget = { message: 'give either id or path' };
const hasOneModelTarget = (args: { id?: string; path?: string }) => (args.id === undefined) !== (args.path === undefined);
const modelTargetShape = { id: modelId.optional(), path: filePath.optional() };
export const threadsSchema = z.union([z.literal('auto'), positiveInt(1024)]);

export const samplingSchema = z
  .object({
    temperature: z.number().min(0).max(2),
    topP: z.number().gt(0).max(1),
    maxTokens: positiveInt(131_072),
    contextSize: z.number().int().min(64).max(1_048_576).nullable()
  })
  .strict();

export const privacyModeSchema = z.enum(['local-only', 'redact', 'off']);
export const routePolicySchema = z.enum(['local-only', 'local-first', 'cloud-preferred']);
export const providerKindSchema = z.enum(['openai', 'anthropic', 'gemini', 'openrouter', 'groq', 'mistral', 'openai-compatible']);
/** A provider's name: the prefix of its model refs, so no slash. */
export const providerNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'use 1–40 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit');
/** 'local', 'auto' or `provider/model`. */
export const modelRefSchema = z
  .string()
  .min(1)
  .max(300)
  .refine((ref) => ref === 'local' || ref === 'auto' || /^[a-z0-9][a-z0-9._-]{0,39}\/\S.*$/.test(ref), {
    message: "use 'local', 'auto' or provider/model"
  });
const dictionaryTerms = z.array(z.string().trim().min(1).max(256)).max(5000);
export const egressFilterSchema = z
  .object({
    provider: z.string().max(40).optional(),
    conversationId: id.optional(),
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
    text: z.string().max(500).optional(),
    limit: positiveInt(10_000).optional(),
    offset: z.number().int().min(0).optional()
  })
  .strict();

const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date written yyyy-mm-dd');
export const usageStatsQuerySchema = z
  .object({
    from: localDay.optional(),
    to: localDay.optional(),
    timeZone: z.string().min(1).max(64),
    /** null: no savings; absent: the default savings model. */
    savingsModel: z.string().min(3).max(300).nullable().optional()
  })
  .strict();

/** A dropped file sent as bytes; the library applies its own (smaller or equal) size limit. */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

const outgoingMessageSchema = z
  .object({
    conversationId: id,
    text: z.string().trim().min(1).max(1_000_000),
    /** Placeholders the user chose to send as their original text, for this message only. */
    unredact: z.array(z.string().max(64)).max(1000).optional(),
    /** Ask a cloud model for this one message (route 'auto' with local first). */
    useCloud: z.boolean().optional()
  })
  .strict();

export const calls = {
  getAppInfo: call<AppInfo>()(noArgs),

  getEngineStatus: call<EngineStatus>()(noArgs),
  chooseModelFile: call<string | null>()(noArgs),
  /** Loads a model file by id or path (replacing the loaded one); options left out come from the engine settings. */
  loadModel: call<ModelInfo>()(
    z
      .object({ ...modelTargetShape, ...modelLoadOptionsSchema.shape })
      .strict()
      .refine(hasOneModelTarget, oneModelTarget)
  ),
  unloadModel: call<void>()(noArgs),
  tuneThreads: call<ThreadTuneResult>()(z.object({ force: z.boolean().optional() }).strict()),
  getEngineSettings: call<EngineSettings>()(noArgs),
  updateEngineSettings: call<EngineSettings>()(
    z
      .object({
        gpuLayers: gpuLayersSchema.optional(),
        contextSize: z.number().int().min(64).max(1_048_576).optional(),
        threads: threadsSchema.optional(),
        flashAttention: z.boolean().optional(),
        batchSize: z.number().int().min(1).max(65_536).nullable().optional(),
        kvCacheType: kvCacheTypeSchema.optional(),
        /** An absolute folder; null: `<data dir>/models`. */
        modelsDir: filePath.nullable().optional()
      })
      .strict()
  ),

  /** The recommended models, each with how it fits this machine. Works offline. */
  listCatalogue: call<ModelCatalogue>()(noArgs),
  /** Replaces the catalogue with a JSON file in the bundled format (kept in the data folder). */
  refreshCatalogue: call<ModelCatalogue>()(z.object({ path: filePath }).strict()),
  /** The best-fitting chat model of the catalogue for this machine (first run); null when none fits. */
  recommendModel: call<CatalogueEntry | null>()(noArgs),
  /** The .gguf files in the models folder, with their header metadata. */
  listModelFiles: call<LocalModelFile[]>()(noArgs),
  /** Reads a .gguf file's header (nothing is loaded); refuses non-GGUF and malformed files with a clear error. */
  inspectModelFile: call<ModelFileMetadata>()(z.object({ path: filePath }).strict()),
  /** Copies a .gguf file into the models folder, or links it there. */
  importModel: call<LocalModelFile>()(z.object({ path: filePath, mode: z.enum(['copy', 'link']) }).strict()),
  /** Deletes a model file (a linked file's link only). */
  removeModelFile: call<void>()(z.object({ id: modelId }).strict()),
  /** The memory a load with these options would need, before loading. */
  estimateLoad: call<LoadEstimate>()(
    z
      .object({ ...modelTargetShape, options: modelLoadOptionsSchema.optional() })
      .strict()
      .refine(hasOneModelTarget, oneModelTarget)
  ),

  /** Starts downloading a catalogue id, an `hf:` URI, a Hugging Face URL or an https URL into the models folder. */
  startDownload: call<DownloadInfo>()(z.object({ source: z.string().trim().min(1).max(4096) }).strict()),
  pauseDownload: call<DownloadInfo>()(z.object({ id }).strict()),
  resumeDownload: call<DownloadInfo>()(z.object({ id }).strict()),
  /** Stops a download and deletes its partial file. */
  cancelDownload: call<DownloadInfo>()(z.object({ id }).strict()),
  /** Running, paused (also from before a restart) and finished downloads of this session. */
  listDownloads: call<DownloadInfo[]>()(noArgs),
  /** Removes a finished, failed or cancelled download from the list. */
  dismissDownload: call<void>()(z.object({ id }).strict()),

  listConversations: call<ConversationSummary[]>()(z.object({ query: z.string().max(500).optional() }).strict()),
  createConversation: call<Conversation>()(
    z.object({ title: z.string().max(200).optional(), systemPrompt: z.string().max(100_000).optional() }).strict()
  ),
  getConversation: call<Conversation>()(z.object({ id }).strict()),
  renameConversation: call<ConversationSummary>()(z.object({ id, title: z.string().trim().min(1).max(200) }).strict()),
  deleteConversation: call<void>()(z.object({ id }).strict()),
  updateConversationSettings: call<Conversation>()(
    z
      .object({
        id,
        systemPrompt: z.string().max(100_000).optional(),
        sampling: samplingSchema.partial().optional(),
        model: modelRefSchema.nullable().optional(),
        routePolicy: routePolicySchema.nullable().optional(),
        privacyMode: privacyModeSchema.nullable().optional(),
        /** Required with privacyMode 'off': the user confirmed sending raw text. */
        confirmPrivacyOff: z.boolean().optional()
      })
      .strict()
  ),

  sendMessage: call<ExchangeStarted>()(outgoingMessageSchema),
  /** What sendMessage with the same arguments would put on the wire; sends nothing. */
  previewEgress: call<EgressPreview>()(outgoingMessageSchema),
  stopGeneration: call<void>()(z.object({ conversationId: id }).strict()),
  regenerate: call<ExchangeStarted>()(z.object({ conversationId: id }).strict()),
  editMessage: call<ExchangeStarted>()(z.object({ messageId: id, text: z.string().trim().min(1).max(1_000_000) }).strict()),

  getApiServerStatus: call<ApiServerStatus>()(noArgs),
  setApiServerEnabled: call<ApiServerStatus>()(
    z.object({ enabled: z.boolean(), port: z.number().int().min(1024).max(65_535).optional() }).strict()
  ),
  rotateApiToken: call<ApiServerStatus>()(noArgs),

  listChatModels: call<ChatModelOption[]>()(noArgs),
  getRouterSettings: call<RouterSettings>()(noArgs),
  updateRouterSettings: call<RouterSettings>()(
    z
      .object({
        defaultModel: modelRefSchema.optional(),
        policy: routePolicySchema.optional(),
        cloudChain: z.array(modelRefSchema).max(20).optional(),
        timeoutMs: z.number().int().min(1000).max(600_000).optional(),
        maxRetries: z.number().int().min(0).max(5).optional(),
        monthlyBudgetUsd: z.number().min(0).max(1_000_000).nullable().optional(),
        providerBudgetsUsd: z.record(z.string().max(40), z.number().min(0).max(1_000_000)).optional(),
        onBudgetExceeded: z.enum(['refuse', 'local']).optional()
      })
      .strict()
  ),

  getKeyStoreInfo: call<KeyStoreInfo>()(noArgs),
  listProviders: call<ProviderInfo[]>()(noArgs),
  addProvider: call<ProviderInfo>()(
    z
      .object({ name: providerNameSchema, kind: providerKindSchema, baseUrl: z.string().trim().url().max(2048).nullable().optional() })
      .strict()
  ),
  removeProvider: call<void>()(z.object({ name: providerNameSchema }).strict()),
  setProviderKey: call<ProviderInfo>()(z.object({ name: providerNameSchema, key: z.string().trim().min(1).max(8192) }).strict()),
  deleteProviderKey: call<ProviderInfo>()(z.object({ name: providerNameSchema }).strict()),
  testProvider: call<ProviderTestResult>()(z.object({ name: providerNameSchema }).strict()),

  getPrivacySettings: call<PrivacySettings>()(noArgs),
  updatePrivacySettings: call<PrivacySettings>()(
    z
      .object({
        mode: privacyModeSchema.optional(),
        /** Required with mode 'off'. */
        confirmPrivacyOff: z.boolean().optional(),
        alwaysRedact: dictionaryTerms.optional(),
        neverRedact: dictionaryTerms.optional()
      })
      .strict()
  ),
  addDictionaryTerm: call<PrivacySettings>()(
    z.object({ term: z.string().trim().min(1).max(256), list: z.enum(['alwaysRedact', 'neverRedact']) }).strict()
  ),

  listEgress: call<{ records: EgressRecord[]; total: number }>()(egressFilterSchema),
  exportEgress: call<EgressExport>()(z.object({ format: z.enum(['json', 'csv']), filter: egressFilterSchema.optional() }).strict()),

  /** The usage dashboard's figures for local days from–to (both included) in a time zone. */
  getUsageStats: call<UsageStats>()(usageStatsQuerySchema),
  exportUsageStats: call<EgressExport>()(z.object({ format: z.enum(['json', 'csv']), query: usageStatsQuerySchema }).strict()),

  /** Adds files or folders (absolute paths; folders are walked) to a collection: each is copied, deduplicated and queued, documentProgress events follow. */
  ingestFiles: call<IngestFileResult[]>()(
    z.object({ paths: z.array(filePath).min(1).max(1000), collection: collectionName.optional() }).strict()
  ),
  /** The native file picker for documents (several at once); [] when cancelled. */
  chooseDocumentFiles: call<string[]>()(noArgs),
  listDocuments: call<DocumentInfo[]>()(z.object({ collection: collectionName.optional() }).strict()),
  getDocument: call<DocumentInfo>()(z.object({ id }).strict()),
  /** Removes the document, its chunks, index rows and stored copy. */
  deleteDocument: call<void>()(z.object({ id }).strict()),
  listCollections: call<CollectionInfo[]>()(noArgs),
  createCollection: call<CollectionInfo>()(z.object({ name: collectionName }).strict()),
  /** Adds collections and documents (by id) to what a conversation answers from; returns all its sources. */
  attachSources: call<ConversationSource[]>()(
    z.object({ conversationId: id, collectionIds: z.array(id).max(100).optional(), documentIds: z.array(id).max(1000).optional() }).strict()
  ),
  detachSource: call<ConversationSource[]>()(z.object({ conversationId: id, kind: z.enum(['collection', 'document']), id }).strict()),
  listConversationSources: call<ConversationSource[]>()(z.object({ conversationId: id }).strict()),
  /** The in-app viewer's content: the PDF bytes, or the passages of a text format. */
  getDocumentView: call<DocumentView>()(z.object({ documentId: id }).strict()),
  /** Files dropped on the window, as bytes (a dropped File has no path in a browser; Electron passes paths to ingestFiles). */
  uploadDocuments: call<IngestFileResult[]>()(
    z
      .object({
        files: z
          .array(
            z
              .object({
                name: z.string().trim().min(1).max(255),
                bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= MAX_UPLOAD_BYTES, {
                  message: `each file may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`
                })
              })
              .strict()
          )
          .min(1)
          .max(100),
        collection: z.string().trim().min(1).max(200).optional()
      })
      .strict()
  ),
  /** Document tools: `taskId` (chosen by the caller) names the progress events and is what cancelDocumentTask stops. */
  summarizeDocument: call<DocumentSummary>()(
    z.object({ taskId: id, documentId: id, model: modelRefSchema.nullable().optional() }).strict()
  ),
  extractDocumentFields: call<DocumentExtraction>()(
    z.object({ taskId: id, documentId: id, schema: z.record(z.string(), z.unknown()) }).strict()
  ),
  compareDocuments: call<DocumentComparison>()(
    z.object({ taskId: id, documentIds: z.tuple([id, id]), model: modelRefSchema.nullable().optional() }).strict()
  ),
  cancelDocumentTask: call<void>()(z.object({ taskId: id }).strict()),
  /** Passages for a query (keywords or a question), best first; hybrid when an embedding model is set. */
  searchDocuments: call<DocumentSearchResult>()(
    z
      .object({
        query: z.string().min(1).max(2000),
        k: z.number().int().min(1).max(50).optional(),
        /** Collection names or ids; none: every document. */
        collections: z.array(z.string().min(1).max(200)).max(100).optional(),
        documentIds: z.array(id).max(1000).optional()
      })
      .strict()
  ),
  getEmbeddingStatus: call<EmbeddingStatus>()(z.object({}).strict()),
  /** The GGUF that embeds documents (an absolute path), or null for keyword search only; existing documents are embedded in the background. */
  setEmbeddingModel: call<EmbeddingStatus>()(z.object({ modelPath: z.string().min(1).max(4096).nullable() }).strict()),

  openExternal: call<void>()(z.object({ url: z.string().min(1).max(8192) }).strict())
};

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallArgs<N extends CallName> = z.input<Calls[N]['args']>;
export type CallResult<N extends CallName> = NonNullable<Calls[N]['result']> extends never ? void : Exclude<Calls[N]['result'], undefined>;

export const callNames = Object.keys(calls) as CallName[];

export const callChannel = (name: CallName) => `enclave:call:${name}`;
export const eventChannel = (name: EventName) => `enclave:event:${name}`;

type EventMethods = {
  [E in EventName as `on${Capitalize<E>}`]: (listener: (payload: EventPayload<E>) => void) => () => void;
};

/**
 * What the preload answers itself, without IPC: what only the renderer's process knows. Named methods only,
 * like the calls.
 */
export interface PreloadHelpers {
  /** The absolute path of a File dropped on or picked in the window; null where it has none (the browser harness). */
  pathForFile(file: File): string | null;
}

export const preloadHelperNames = ['pathForFile'] as const satisfies (keyof PreloadHelpers)[];

/**
 * What the preload puts on `window.enclave`: one method per call, one `onX` per event, the helpers. Calls
 * resolve to a BridgeResponse, never reject: contextBridge keeps only an Error's message, and
 * the renderer needs the code too.
 */
export type ExposedApi = {
  [N in CallName]: (args: CallArgs<N>) => Promise<BridgeResponse<CallResult<N>>>;
} & EventMethods &
  PreloadHelpers;

/** What the renderer's code uses: calls return their result or throw an EnclaveBridgeError with its code. */
export type EnclaveApi = {
  [N in CallName]: (args: CallArgs<N>) => Promise<CallResult<N>>;
} & EventMethods &
  PreloadHelpers;

export const eventMethodName = (name: EventName) => `on${name[0]!.toUpperCase()}${name.slice(1)}`;

/** Errors cross the bridge as plain data so the renderer can show the message and act on the code. */
export interface BridgeError {
  code: ErrorCode;
  message: string;
}

export type BridgeResponse<T> = { ok: true; value: T } | { ok: false; error: BridgeError };
