import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelInfo } from './shared/types';
import { ApiTokenStore } from './api/ApiTokenStore';
import { ChatService } from './chat/ChatService';
import { ConversationStore } from './chat/ConversationStore';
import { CloudService } from './cloud/CloudService';
import { DocumentAsk } from './documents/DocumentAsk';
import { DocumentLibrary, type DocumentLibraryOptions } from './documents/DocumentLibrary';
import { DocumentQa } from './documents/DocumentQa';
import { DocumentTools } from './documents/tools/DocumentTools';
import { DocumentSearch } from './documents/retrieval/DocumentSearch';
import { EgressGate } from './egress/EgressGate';
import type { Keytar } from './providers/keys/KeychainKeyStore';
import { keyStoreOpener } from './providers/keys/openKeyStore';
import { ModelRouter, type RouterOptions } from './cloud/ModelRouter';
import { PriceTable } from './providers/PriceTable';
import { ProviderHealth, type ProviderHealthOptions } from './providers/ProviderHealth';
import { ProviderKeys } from './providers/ProviderKeys';
import { ProviderStore } from './providers/ProviderStore';
import { openDatabase, type EnclaveDb } from './db/openDatabase';
import { prepareDataDir } from './prepareDataDir';
import { EnclaveEvents } from './EnclaveEvents';
import { EngineService } from './engine/EngineService';
import { ThreadTuningStore } from './engine/ThreadTuningStore';
import { EgressLedger } from './egress/EgressLedger';
import { ModelCatalogue } from './models/ModelCatalogue';
import { ModelDownloads, type ModelDownloadsOptions } from './models/ModelDownloads';
import { ModelLibrary } from './models/ModelLibrary';
import { MetricsService } from './metrics/MetricsService';
import { UsageLog } from './metrics/UsageLog';
import { PiiDetector } from './privacy/PiiDetector';
import { PrivacyService, type PrivacyServiceOptions } from './privacy/PrivacyService';
import { PseudonymVaultStore } from './privacy/PseudonymVaultStore';
import { SettingsStore } from './settings/SettingsStore';

export interface EnclaveOptions {
  dataDir: string;
  /** Electron-ABI better-sqlite3 binding, when running inside Electron. */
  sqliteNativeBinding?: string;
  /** Electron-ABI keytar, when running inside Electron: only to move the keys earlier versions stored into @napi-rs/keyring. */
  keytar?: Keytar;
  gpu?: 'auto' | false;
  /** Selects the key store (ENCLAVE_KEY_STORE, ENCLAVE_KEY_PASSPHRASE); process.env by default. */
  env?: NodeJS.ProcessEnv;
  privacy?: Omit<PrivacyServiceOptions, 'settings' | 'events'>;
  router?: RouterOptions;
  providerHealth?: ProviderHealthOptions;
  /** Document size, time and memory limits, and chunk sizes (tests make them small). */
  documents?: Pick<DocumentLibraryOptions, 'limits' | 'chunking'>;
  downloads?: ModelDownloadsOptions;
}

export const DATABASE_FILE = 'enclave.db';
/** After start-up work and the first paint, not during them. */
const DEFAULT_WARM_UP_DELAY_MS = 3000;

/** Creates and wires the core services for one data folder. `dispose()` closes them all. */
export class Enclave {
  readonly events = new EnclaveEvents();
  readonly privacy: PrivacyService;
  readonly conversations: ConversationStore;
  readonly settings: SettingsStore;
  readonly engine: EngineService;
  readonly chat: ChatService;
  /** The local HTTP API's bearer token (created on first use, in this data folder). */
  readonly apiTokens: ApiTokenStore;
  readonly pseudonymVaults: PseudonymVaultStore;
  /** The one way out of the machine: every cloud request is prepared and sent here. */
  readonly egress: EgressGate;
  readonly egressLedger: EgressLedger;
  readonly prices: PriceTable;
  readonly router: ModelRouter;
  readonly cloud: CloudService;
  /** Documents: ingestion (copy, dedupe, parse in a worker, chunk), collections and the sources of conversations. */
  readonly documents: DocumentLibrary;
  /** The recommended models (resources/model-catalogue.json, or a refreshed copy in the data folder). */
  readonly modelCatalogue: ModelCatalogue;
  /** The models folder: its files, import, removal, load by id, memory estimates. */
  readonly models: ModelLibrary;
  readonly downloads: ModelDownloads;
  /** The start-up reload of the last model (startHost), while it runs or after. */
  lastModelReload: Promise<ModelInfo | null> | null = null;
  /** Document retrieval (keyword and vector) and its embedding model. */
  readonly documentSearch: DocumentSearch;
  /** Summarize, extract fields, compare: long model work over documents, with progress and cancel. */
  readonly documentTools: DocumentTools;
  /** One question to the documents in a new conversation (`enclave ask`, POST /v1/documents/ask). */
  readonly documentAsk: DocumentAsk;
  /** Usage, cost, savings and privacy figures (the dashboard, `enclave stats`), from the usage log the router writes. */
  readonly metrics: MetricsService;
  /** Where the router counts every request (and where imports and benchmarks write seeded usage). */
  readonly usage: UsageLog;
  private warmUp: NodeJS.Timeout | null = null;

  private constructor(
    readonly dataDir: string,
    private readonly db: EnclaveDb,
    options: EnclaveOptions
  ) {
    this.conversations = new ConversationStore(db);
    this.pseudonymVaults = new PseudonymVaultStore(db);
    this.settings = new SettingsStore(db);
    this.privacy = new PrivacyService({ ...options.privacy, settings: this.settings, events: this.events });
    this.engine = new EngineService(this.settings, new ThreadTuningStore(db), this.events, { gpu: options.gpu });
    this.egressLedger = new EgressLedger(db);
    this.prices = PriceTable.load(dataDir);
    const providers = new ProviderStore(db);
    const health = new ProviderHealth(options.providerHealth);
    const keys = new ProviderKeys(keyStoreOpener({ dataDir, env: options.env, keytar: options.keytar }));
    this.egress = new EgressGate({
      privacy: this.privacy,
      vaults: this.pseudonymVaults,
      ledger: this.egressLedger,
      keys,
      prices: this.prices,
      events: this.events
    });
    const cloudDeps = {
      engine: this.engine,
      gate: this.egress,
      providers,
      health,
      ledger: this.egressLedger,
      prices: this.prices,
      privacy: this.privacy
    };
    this.usage = new UsageLog(db);
    this.router = new ModelRouter({ ...cloudDeps, settings: this.settings, usage: this.usage }, options.router);
    this.metrics = new MetricsService({ db, prices: this.prices, providers, routerSettings: () => this.router.settings });
    this.cloud = new CloudService({ ...cloudDeps, keys, router: this.router, events: this.events });
    // Replies in conversations with documents attached are written from retrieved excerpts (the library and
    // search are created below; grounding first runs when a reply starts).
    const documentQa = new DocumentQa({
      listSources: (conversationId) => this.documents.listSources(conversationId),
      search: (request) => this.documentSearch.search(request)
    });
    this.chat = new ChatService(this.conversations, this.router, this.events, documentQa);
    this.apiTokens = new ApiTokenStore(dataDir);
    this.documents = new DocumentLibrary({ ...options.documents, db, dataDir, events: this.events });
    this.modelCatalogue = ModelCatalogue.load(dataDir);
    if (this.modelCatalogue.userFileError) console.warn(`warning: ${this.modelCatalogue.userFileError}`);
    this.models = new ModelLibrary(dataDir, this.modelCatalogue, this.engine, this.events);
    this.downloads = new ModelDownloads(this.models, this.modelCatalogue, this.events, options.downloads);
    // New documents go through 'embedding' while an embedding model is set.
    this.documentSearch = new DocumentSearch(db, this.settings, this.engine, this.events, (indexer) => this.documents.setIndexer(indexer));
    this.documentTools = new DocumentTools({
      documents: {
        getDocument: (documentId) => this.documents.getDocument(documentId),
        chunkTexts: (documentId) => this.documents.listChunks(documentId).map((chunk) => chunk.text)
      },
      router: this.router,
      engine: this.engine,
      events: this.events
    });
    this.documentAsk = new DocumentAsk({ chat: this.chat, events: this.events, documents: this.documents });
  }

  static open(options: EnclaveOptions): Enclave {
    // Warnings go to stderr: the CLI's and `enclave serve`'s error stream, the app's log.
    for (const warning of prepareDataDir(options.dataDir)) console.warn(`warning: ${warning}`);
    const db = openDatabase({ file: join(options.dataDir, DATABASE_FILE), nativeBinding: options.sqliteNativeBinding });
    return new Enclave(options.dataDir, db, options);
  }

  /**
   * Start-up policy of a long-running host (the app, `enclave serve`), the same for both: replies a crash
   * left streaming are kept, marked stopped; the PII language analysis loads in the background after
   * `warmUpDelayMs`, so the first redacted cloud message does not wait for it (one-shot CLI commands never pay for it).
   */
  startHost({
    warmUpDelayMs = DEFAULT_WARM_UP_DELAY_MS,
    reloadLastModel = true
  }: { warmUpDelayMs?: number; reloadLastModel?: boolean } = {}): {
    recoveredReplies: number;
    recoveredDocuments: Promise<{ resumed: number; failed: number }>;
  } {
    const recoveredReplies = this.conversations.recoverInterrupted();
    // Documents a crash left mid-ingestion are parsed again from their stored copy (or fail, saying why).
    const recoveredDocuments = this.documents.recoverInterrupted();
    recoveredDocuments.catch((error: unknown) =>
      console.warn(`warning: interrupted documents were not resumed: ${(error as Error)?.message ?? error}`)
    );
    if (reloadLastModel) this.lastModelReload ??= this.reloadLastModel();
    // Documents the embedding model has not embedded yet (a job cut short by quitting) are embedded in the background.
    this.documentSearch
      .startEmbedding()
      ?.done.catch((error: unknown) => console.warn(`warning: documents were not embedded: ${(error as Error)?.message ?? error}`));
    this.warmUp ??= setTimeout(() => void PiiDetector.loadLanguageAnalysis().catch(() => {}), warmUpDelayMs);
    this.warmUp.unref();
    return { recoveredReplies, recoveredDocuments };
  }

  /**
   * Loads the model that was loaded last (EngineSettings.lastModelPath), if its file is still there and
   * nothing else was loaded meanwhile. A failure is a warning, never a failed start.
   */
  private async reloadLastModel(): Promise<ModelInfo | null> {
    const path = this.engine.getSettings().lastModelPath;
    if (!path || !existsSync(path)) return null;
    try {
      await this.engine.engine();
      if (this.engine.loadedModel || this.engine.isLoading) return null;
      return await this.engine.loadModel({ path });
    } catch (error) {
      console.warn(`warning: the last model (${path}) was not reloaded: ${(error as Error)?.message ?? error}`);
      return null;
    }
  }

  async dispose(): Promise<void> {
    clearTimeout(this.warmUp ?? undefined);
    await this.downloads.dispose();
    await this.lastModelReload;
    await this.chat.stopAll();
    await this.documents.dispose();
    await this.documentSearch.dispose();
    await this.engine.dispose();
    this.db.$client.close();
  }
}
