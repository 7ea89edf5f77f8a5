import { untrack } from 'svelte';
import type { EnclaveApi } from '../../src-preload/contract';
import type { ConversationSource } from '../../src-main/core/shared/types';
import { toUserFacingError } from '../lib/errors';
import type { ChatState } from './ChatState.svelte';

/** What the open conversation answers from: its attached collections and documents (the chat header's chips). */
export class ConversationSourcesState {
  sources = $state.raw<ConversationSource[]>([]);
  /** The conversation `sources` belong to. */
  conversationId = $state<string | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  readonly #api: EnclaveApi;
  readonly #chat: ChatState;
  #sequence = 0;

  constructor(api: EnclaveApi, chat: ChatState) {
    this.#api = api;
    this.#chat = chat;
  }

  /** Follows the open conversation; documentsChanged re-reads (a deleted document leaves the list). */
  connect(): () => void {
    const stop = $effect.root(() => {
      $effect(() => {
        const conversationId = this.#chat.activeId;
        untrack(() => void this.load(conversationId));
      });
    });
    const off = this.#api.onDocumentsChanged(() => void this.load(this.#chat.activeId));
    return () => {
      stop();
      off();
    };
  }

  async load(conversationId: string | null): Promise<void> {
    const sequence = ++this.#sequence;
    if (conversationId === null) {
      this.conversationId = null;
      this.sources = [];
      return;
    }
    try {
      const sources = await this.#api.listConversationSources({ conversationId });
      if (sequence !== this.#sequence) return;
      this.conversationId = conversationId;
      this.sources = sources;
      this.error = null;
    } catch (error) {
      if (sequence === this.#sequence) this.error = toUserFacingError(error).message;
    }
  }

  isAttached(kind: ConversationSource['kind'], id: string): boolean {
    return this.sources.some((source) => source.kind === kind && source.id === id);
  }

  /** Attaches to `conversationId` (default: the open one). */
  async attach(sources: { collectionIds?: string[]; documentIds?: string[] }, conversationId = this.#chat.activeId): Promise<void> {
    if (!conversationId || (!sources.collectionIds?.length && !sources.documentIds?.length)) return;
    await this.#change(conversationId, () => this.#api.attachSources({ conversationId, ...sources }));
  }

  async detach(source: Pick<ConversationSource, 'kind' | 'id'>): Promise<void> {
    const conversationId = this.#chat.activeId;
    if (!conversationId) return;
    await this.#change(conversationId, () => this.#api.detachSource({ conversationId, kind: source.kind, id: source.id }));
  }

  async #change(conversationId: string, run: () => Promise<ConversationSource[]>): Promise<void> {
    this.busy = true;
    const sequence = ++this.#sequence;
    try {
      const sources = await run();
      if (sequence === this.#sequence && conversationId === this.#chat.activeId) {
        this.conversationId = conversationId;
        this.sources = sources;
      }
      this.error = null;
    } catch (error) {
      this.error = toUserFacingError(error).message;
    } finally {
      this.busy = false;
    }
  }
}
