import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiTokenStore } from './api/ApiTokenStore';
import { ChatService } from './chat/ChatService';
import { ConversationStore } from './chat/ConversationStore';
import { openDatabase, type EnclaveDb } from './db/openDatabase';
import { EnclaveEvents } from './EnclaveEvents';
import { EngineService } from './engine/EngineService';
import { PrivacyService } from './privacy/PrivacyService';
import { PseudonymVaultStore } from './privacy/PseudonymVaultStore';
import { ThreadTuningStore } from './engine/ThreadTuningStore';
import { SettingsStore } from './settings/SettingsStore';

export interface EnclaveOptions {
  dataDir: string;
  /** Electron-ABI better-sqlite3 binding, when running inside Electron. */
  sqliteNativeBinding?: string;
  gpu?: 'auto' | false;
}

export const DATABASE_FILE = 'enclave.db';

/** Creates and wires the core services for one data folder. `dispose()` closes them all. */
export class Enclave {
  readonly events = new EnclaveEvents();
  readonly privacy = new PrivacyService();
  readonly conversations: ConversationStore;
  readonly settings: SettingsStore;
  readonly engine: EngineService;
  readonly chat: ChatService;
  /** The local HTTP API's bearer token (created on first use, in this data folder). */
  readonly apiTokens: ApiTokenStore;
  readonly pseudonymVaults: PseudonymVaultStore;

  private constructor(
    readonly dataDir: string,
    private readonly db: EnclaveDb,
    options: EnclaveOptions
  ) {
    this.conversations = new ConversationStore(db);
    this.pseudonymVaults = new PseudonymVaultStore(db);
    this.settings = new SettingsStore(db);
    this.engine = new EngineService(this.settings, new ThreadTuningStore(db), this.events, { gpu: options.gpu });
    this.chat = new ChatService(this.conversations, this.engine, this.events);
    this.apiTokens = new ApiTokenStore(dataDir);
  }

  static open(options: EnclaveOptions): Enclave {
    mkdirSync(options.dataDir, { recursive: true });
    const db = openDatabase({ file: join(options.dataDir, DATABASE_FILE), nativeBinding: options.sqliteNativeBinding });
    return new Enclave(options.dataDir, db, options);
  }

  async dispose(): Promise<void> {
    await this.chat.stopAll();
    await this.engine.dispose();
    this.db.$client.close();
  }
}
