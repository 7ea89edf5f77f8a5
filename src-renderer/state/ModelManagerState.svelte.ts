import type { EnclaveApi } from '../../src-preload/contract';
import type { CatalogueEntry, DownloadInfo, LocalModelFile, ModelCatalogue, ModelFileMetadata } from '../../src-main/core/shared/types';
import { toUserFacingError } from '../lib/errors';
import { isActiveDownload } from '../lib/modelFormat';
import type { ChatState } from './ChatState.svelte';
import type { EngineState } from './EngineState.svelte';
import type { UiState } from './UiState.svelte';

/** A file waiting for the user's "copy or link" answer, with what its header says. */
export interface PendingImport {
  path: string;
  metadata: ModelFileMetadata | null;
  /** Why the file cannot be imported (not a GGUF file, unreadable…); shown in the import dialog. */
  error: string | null;
  /** Set once imported: the dialog then shows the file as the models folder lists it. */
  imported: LocalModelFile | null;
  busy: boolean;
}

/**
 * The Models screen: the catalogue with fit labels, downloads (several at once, live), the models folder,
 * imports (drop or file picker, copy or link) and the first-run "download the recommended model" flow.
 */
export class ModelManagerState {
  readonly #api: EnclaveApi;
  readonly #engine: EngineState;
  readonly #chat: ChatState;
  readonly #ui: UiState;
  /** Dismissed here; a list read before the dismissal must not bring them back. */
  readonly #dismissed = new Set<string>();

  isOpen = $state(false);
  catalogue = $state.raw<ModelCatalogue | null>(null);
  /** The best-fitting chat model for this machine; null when none fits (or not read yet). */
  recommended = $state.raw<CatalogueEntry | null>(null);
  files = $state.raw<LocalModelFile[]>([]);
  downloads = $state.raw<DownloadInfo[]>([]);
  /** The models folder and the downloads have been read (or failed to be). */
  hasLoaded = $state(false);
  catalogueLoaded = $state(false);
  error = $state<string | null>(null);
  /** The error of the last download request (a bad URI, no disk space…), shown under the source field. */
  downloadError = $state<string | null>(null);
  pendingImport = $state.raw<PendingImport | null>(null);
  /** The file whose load options are open, by id. */
  selectedFileId = $state<string | null>(null);
  /** The download started by the first-run button: when it is done, its model loads and a chat opens. */
  firstRunDownloadId = $state<string | null>(null);
  firstRunError = $state<string | null>(null);

  activeDownloads = $derived(this.downloads.filter(isActiveDownload));
  finishedDownloads = $derived(this.downloads.filter((download) => !isActiveDownload(download)));
  chatEntries = $derived(this.catalogue?.entries.filter((entry) => entry.role === 'chat') ?? []);
  embeddingEntries = $derived(this.catalogue?.entries.filter((entry) => entry.role === 'embedding') ?? []);
  selectedFile = $derived(this.files.find((file) => file.id === this.selectedFileId) ?? null);
  firstRunDownload = $derived(this.downloads.find((download) => download.id === this.firstRunDownloadId) ?? null);

  constructor(api: EnclaveApi, engine: EngineState, chat: ChatState, ui: UiState) {
    this.#api = api;
    this.#engine = engine;
    this.#chat = chat;
    this.#ui = ui;
  }

  connect(): () => void {
    const unsubscribers = [
      this.#api.onDownloadProgress(({ download }) => this.#upsertDownload(download)),
      this.#api.onModelsChanged(() => void this.refresh())
    ];
    void this.refresh();
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }

  open(): void {
    this.isOpen = true;
  }

  close(): void {
    this.isOpen = false;
  }

  toggle(): void {
    this.isOpen = !this.isOpen;
  }

  /** The folder and downloads answer at once; the catalogue's fit needs the machine's memory, so it does not hold them up. */
  async refresh(): Promise<void> {
    const folder = this.#settle(async () => {
      const [files, downloads] = await Promise.all([this.#api.listModelFiles({}), this.#api.listDownloads({})]);
      this.files = files;
      this.downloads = this.#mergeDownloads(downloads);
      this.hasLoaded = true;
    });
    const catalogue = this.#settle(async () => {
      const [catalogue, recommended] = await Promise.all([this.#api.listCatalogue({}), this.#api.recommendModel({})]);
      this.catalogue = catalogue;
      this.recommended = recommended;
      this.catalogueLoaded = true;
    });
    const errors = (await Promise.all([folder, catalogue])).filter((error) => error !== null);
    this.error = errors[0] ?? null;
    this.hasLoaded = true;
    this.catalogueLoaded = true;
  }

  async #settle(read: () => Promise<void>): Promise<string | null> {
    try {
      await read();
      return null;
    } catch (error) {
      return toUserFacingError(error).message;
    }
  }

  /** A catalogue id, an `hf:` URI, a Hugging Face URL or an https URL. */
  async startDownload(source: string): Promise<DownloadInfo | null> {
    this.downloadError = null;
    try {
      const download = await this.#api.startDownload({ source });
      this.#upsertDownload(download);
      return download;
    } catch (error) {
      this.downloadError = toUserFacingError(error).message;
      return null;
    }
  }

  pause = (id: string) => this.#downloadAction(() => this.#api.pauseDownload({ id }));
  resume = (id: string) => this.#downloadAction(() => this.#api.resumeDownload({ id }));
  cancel = (id: string) => this.#downloadAction(() => this.#api.cancelDownload({ id }));

  async dismiss(id: string): Promise<void> {
    try {
      await this.#api.dismissDownload({ id });
      this.#dismissed.add(id);
      this.downloads = this.downloads.filter((download) => download.id !== id);
      if (this.firstRunDownloadId === id) this.firstRunDownloadId = null;
    } catch (error) {
      this.downloadError = toUserFacingError(error).message;
    }
  }

  /** Clears every finished, failed and cancelled download from the list. */
  async dismissFinished(): Promise<void> {
    for (const download of this.finishedDownloads) await this.dismiss(download.id);
  }

  /** First run: download the recommended model; when it is done it loads and a new chat opens. */
  async downloadRecommended(): Promise<void> {
    const entry = this.recommended;
    if (!entry) return;
    this.firstRunError = null;
    if (entry.localFileId) {
      await this.#loadAndChat(entry.localFileId);
      return;
    }
    const download = await this.startDownload(entry.id);
    if (download) this.firstRunDownloadId = download.id;
    else this.firstRunError = this.downloadError;
  }

  /** Starts an import: reads the file's header so the dialog can show it and ask copy or link. */
  async beginImport(path: string): Promise<void> {
    this.pendingImport = { path, metadata: null, error: null, imported: null, busy: true };
    try {
      const metadata = await this.#api.inspectModelFile({ path });
      this.pendingImport = { ...this.pendingImport, metadata, busy: false };
    } catch (error) {
      this.pendingImport = { ...this.pendingImport, error: toUserFacingError(error).message, busy: false };
    }
  }

  /** Opens the native file dialog, then the import dialog for the chosen file. */
  async chooseAndImport(): Promise<void> {
    try {
      const path = await this.#api.chooseModelFile({});
      if (path !== null) await this.beginImport(path);
    } catch (error) {
      this.error = toUserFacingError(error).message;
    }
  }

  /** A file dropped on the window; in Electron the preload knows its path. */
  async importDropped(file: File): Promise<void> {
    const path = this.#api.pathForFile(file);
    if (path === null) {
      this.pendingImport = {
        path: file.name,
        metadata: null,
        error: `Cannot tell where ${file.name} is on disk. Use "Import a file…" to pick it instead.`,
        imported: null,
        busy: false
      };
      return;
    }
    await this.beginImport(path);
  }

  async confirmImport(mode: 'copy' | 'link'): Promise<void> {
    const pending = this.pendingImport;
    if (!pending || pending.busy) return;
    this.pendingImport = { ...pending, busy: true, error: null };
    try {
      const imported = await this.#api.importModel({ path: pending.path, mode });
      this.pendingImport = { ...pending, imported, busy: false };
      this.selectedFileId = imported.id;
      await this.refresh();
    } catch (error) {
      this.pendingImport = { ...pending, error: toUserFacingError(error).message, busy: false };
    }
  }

  closeImport(): void {
    this.pendingImport = null;
  }

  async remove(id: string): Promise<void> {
    try {
      await this.#api.removeModelFile({ id });
      if (this.selectedFileId === id) this.selectedFileId = null;
      this.error = null;
    } catch (error) {
      this.error = toUserFacingError(error).message;
    }
    await this.refresh();
  }

  /**
   * The list was read while events kept coming: keep the newer copy of each download, and those the list
   * missed (started after it was read); drop the ones dismissed here meanwhile.
   */
  #mergeDownloads(listed: DownloadInfo[]): DownloadInfo[] {
    const known = new Map(this.downloads.map((download) => [download.id, download]));
    const merged = listed
      .filter((download) => !this.#dismissed.has(download.id))
      .map((download) => {
        const seen = known.get(download.id);
        return seen && seen.updatedAt > download.updatedAt ? seen : download;
      });
    const listedIds = new Set(listed.map((download) => download.id));
    return [...this.downloads.filter((download) => !listedIds.has(download.id)), ...merged];
  }

  #upsertDownload(download: DownloadInfo): void {
    if (this.#dismissed.has(download.id)) return;
    const index = this.downloads.findIndex((candidate) => candidate.id === download.id);
    if (index === -1) this.downloads = [download, ...this.downloads];
    else if (this.downloads[index]!.updatedAt <= download.updatedAt) this.downloads = this.downloads.with(index, download);
    if (download.id === this.firstRunDownloadId) this.#followFirstRun(download);
  }

  #followFirstRun(download: DownloadInfo): void {
    if (download.status === 'done' && download.modelFileId) {
      this.firstRunDownloadId = null;
      void this.#loadAndChat(download.modelFileId);
    } else if (download.status === 'failed' || download.status === 'cancelled') {
      this.firstRunError = download.error ?? 'The download was cancelled.';
    }
  }

  async #loadAndChat(fileId: string): Promise<void> {
    const loaded = await this.#engine.load({ id: fileId });
    if (!loaded) {
      this.firstRunError = this.#engine.loadError;
      return;
    }
    this.close();
    await this.#chat.startNewChat();
    this.#ui.focusComposer();
  }

  async #downloadAction(action: () => Promise<DownloadInfo>): Promise<void> {
    try {
      this.#upsertDownload(await action());
      this.downloadError = null;
    } catch (error) {
      this.downloadError = toUserFacingError(error).message;
    }
  }
}
