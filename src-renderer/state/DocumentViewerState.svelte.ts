import type { EnclaveApi } from '../../src-preload/contract';
import type { DocumentView, MessageSource } from '../../src-main/core/shared/types';
import { toUserFacingError, type UserFacingError } from '../lib/errors';

/** Where the viewer opens: a document, at a page, with a passage (a cited excerpt) highlighted. */
export interface ViewerTarget {
  documentId: string;
  documentName: string;
  page: number | null;
  chunkId: string | null;
  excerpt: string | null;
}

/** The in-app document viewer: which document is open, at which page, and which passage it highlights. */
export class DocumentViewerState {
  target = $state.raw<ViewerTarget | null>(null);
  view = $state.raw<DocumentView | null>(null);
  /** The page shown (PDFs); starts at the target's page. */
  page = $state(1);
  error = $state.raw<UserFacingError | null>(null);
  isLoading = $state(false);

  isOpen = $derived(this.target !== null);

  readonly #api: EnclaveApi;
  #sequence = 0;

  constructor(api: EnclaveApi) {
    this.#api = api;
  }

  /** Opens the document a citation points to, at its page, with its excerpt highlighted. */
  openSource(source: MessageSource): Promise<void> {
    if (!source.documentId) {
      this.target = { documentId: '', documentName: source.documentName, page: source.page, chunkId: null, excerpt: source.excerpt };
      this.view = null;
      this.error = { code: null, message: `"${source.documentName}" was deleted; its excerpt is kept with the answer.` };
      return Promise.resolve();
    }
    return this.open({
      documentId: source.documentId,
      documentName: source.documentName,
      page: source.page,
      chunkId: source.chunkId,
      excerpt: source.excerpt
    });
  }

  async open(target: ViewerTarget): Promise<void> {
    const sequence = ++this.#sequence;
    this.target = target;
    this.page = target.page ?? 1;
    this.error = null;
    if (this.view?.document.id === target.documentId) return;
    this.view = null;
    this.isLoading = true;
    try {
      const view = await this.#api.getDocumentView({ documentId: target.documentId });
      if (sequence === this.#sequence) this.view = view;
    } catch (error) {
      if (sequence === this.#sequence) this.error = toUserFacingError(error);
    } finally {
      if (sequence === this.#sequence) this.isLoading = false;
    }
  }

  goToPage(page: number): void {
    const pages = this.view?.document.pages ?? 1;
    this.page = Math.min(Math.max(1, page), pages);
  }

  close(): void {
    this.#sequence += 1;
    this.target = null;
    this.view = null;
    this.error = null;
    this.isLoading = false;
  }
}
