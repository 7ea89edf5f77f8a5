import type { EnclaveApi } from '../../src-preload/contract';
import type { Conversation, ConversationSummary } from '../../src-main/core/shared/types';
import { toUserFacingError } from '../lib/errors';

/** Wait this long after the last keystroke before running a full-text search. */
const SEARCH_DEBOUNCE_MS = 150;

/** The sidebar list: all conversations, or the full-text search results while a query is typed. */
export class ConversationListState {
  items = $state.raw<ConversationSummary[]>([]);
  query = $state('');
  hasLoaded = $state(false);
  error = $state<string | null>(null);
  /** Size of the last unfiltered list; search results alone can't tell whether any conversation exists. */
  #unfilteredCount = $state<number | null>(null);

  isFiltered = $derived(this.query.trim() !== '');
  hasNoConversations = $derived(this.#unfilteredCount === 0);

  readonly #api: EnclaveApi;
  /** Only the newest request may write the list, so a slow old search can't overwrite a newer one. */
  #requestSequence = 0;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: EnclaveApi) {
    this.#api = api;
  }

  connect(): () => void {
    const unsubscribe = this.#api.onConversationsChanged(() => void this.refresh());
    void this.refresh();
    return () => {
      unsubscribe();
      clearTimeout(this.#searchTimer);
    };
  }

  setQuery(query: string): void {
    this.query = query;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.refresh(), SEARCH_DEBOUNCE_MS);
  }

  async refresh(): Promise<void> {
    const sequence = ++this.#requestSequence;
    const query = this.query.trim();
    try {
      const items = await this.#api.listConversations(query ? { query } : {});
      if (sequence !== this.#requestSequence) return;
      this.items = items;
      if (!query) this.#unfilteredCount = items.length;
      this.error = null;
      this.hasLoaded = true;
    } catch (error) {
      if (sequence === this.#requestSequence) this.error = toUserFacingError(error).message;
    }
  }

  /** Creates a conversation and clears any search so the new one is visible in the list. */
  async create(): Promise<Conversation> {
    const conversation = await this.#api.createConversation({});
    clearTimeout(this.#searchTimer);
    this.query = '';
    await this.refresh();
    return conversation;
  }

  async rename(id: string, title: string): Promise<void> {
    try {
      const renamed = await this.#api.renameConversation({ id, title });
      this.items = this.items.map((item) => (item.id === id ? { ...item, title: renamed.title } : item));
      this.error = null;
    } catch (error) {
      this.error = toUserFacingError(error).message;
    }
  }

  /** Returns whether the conversation is gone, so the caller can close it if it was open. */
  async remove(id: string): Promise<boolean> {
    try {
      await this.#api.deleteConversation({ id });
    } catch (error) {
      this.error = toUserFacingError(error).message;
      return false;
    }
    this.items = this.items.filter((item) => item.id !== id);
    await this.refresh();
    return true;
  }
}
