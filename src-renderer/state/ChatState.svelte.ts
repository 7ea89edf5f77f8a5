import type { CallArgs, EnclaveApi, EventPayload } from '../../src-preload/contract';
import type { Conversation, ExchangeStarted, Message, SamplingSettings } from '../../src-main/core/shared/types';
import { toUserFacingError, type UserFacingError } from '../lib/errors';
import type { ConversationListState } from './ConversationListState.svelte';

/** A conversation without its messages: those live in their own array, replaced whole on every change. */
export type ConversationDetails = Omit<Conversation, 'messages'>;

export interface ConversationSettings {
  systemPrompt: string;
  sampling: SamplingSettings;
}

/** Any change updateConversationSettings accepts for the open conversation (privacy mode, model…). */
export type ConversationUpdate = Omit<CallArgs<'updateConversationSettings'>, 'id'>;

/** Per-message choices made when sending. */
export interface SendOptions {
  /** Placeholders to send as their original text this time (chosen in the egress preview). */
  unredact?: string[];
}

function splitConversation({ messages, ...details }: Conversation): { details: ConversationDetails; messages: Message[] } {
  return { details, messages };
}

/** The open conversation: its messages, the streamed reply, the composer draft and the chat actions. */
export class ChatState {
  conversation = $state.raw<ConversationDetails | null>(null);
  messages = $state.raw<Message[]>([]);
  draft = $state('');
  /** The last failed chat action (send, stop, regenerate, edit, open, settings). */
  error = $state.raw<UserFacingError | null>(null);
  /** A send/regenerate/edit call is on its way to main. */
  isSubmitting = $state(false);
  /** "Ask a cloud model for this message": applies to the next send (and its preview), then resets. */
  useCloud = $state(false);

  activeId = $derived(this.conversation?.id ?? null);
  isStreaming = $derived(this.messages.some((message) => message.status === 'streaming'));
  canSend = $derived(this.draft.trim() !== '' && !this.isSubmitting && !this.isStreaming);
  lastAssistantId = $derived(this.messages.findLast((message) => message.role === 'assistant')?.id ?? null);

  readonly #api: EnclaveApi;
  readonly #conversations: ConversationListState;
  #openSequence = 0;
  /**
   * Token deltas not yet applied. They are applied once per animation frame (one array replacement per
   * frame instead of per token) and kept while their message isn't in the list yet, because events can
   * overtake the sendMessage reply that introduces the message.
   */
  #pendingDeltas = new Map<string, string>();
  #flushScheduled = false;
  /** Final messages that arrived before the reply that introduces them. */
  #finishedEarly = new Map<string, Message>();

  constructor(api: EnclaveApi, conversations: ConversationListState) {
    this.#api = api;
    this.#conversations = conversations;
  }

  connect(): () => void {
    const unsubscribers = [
      this.#api.onChatToken((token) => this.#receiveToken(token)),
      this.#api.onMessageFinished(({ message }) => this.#receiveFinished(message)),
      this.#api.onConversationsChanged(() => void this.#refreshDetails())
    ];
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }

  async open(id: string): Promise<void> {
    if (id === this.activeId) return;
    const sequence = ++this.#openSequence;
    try {
      const conversation = await this.#api.getConversation({ id });
      if (sequence === this.#openSequence) this.#show(conversation);
    } catch (error) {
      if (sequence === this.#openSequence) this.error = toUserFacingError(error);
    }
  }

  async startNewChat(): Promise<void> {
    try {
      this.#show(await this.#conversations.create());
    } catch (error) {
      this.error = toUserFacingError(error);
    }
  }

  async deleteConversation(id: string): Promise<void> {
    const deleted = await this.#conversations.remove(id);
    if (deleted && id === this.activeId) this.#close();
  }

  /** Sends the draft, creating a conversation first when none is open. The draft survives a failure. */
  async send({ unredact }: SendOptions = {}): Promise<void> {
    const text = this.draft.trim();
    if (!this.canSend) return;
    await this.#submit(async () => {
      const conversationId = await this.ensureConversation();
      const useCloud = this.useCloud;
      const exchange = await this.#api.sendMessage({
        conversationId,
        text,
        ...(unredact?.length ? { unredact } : {}),
        ...(useCloud ? { useCloud } : {})
      });
      this.#replaceFrom(this.messages.length, exchange);
      // Keep anything typed while the request was in flight.
      if (this.draft.trim() === text) this.draft = '';
      this.useCloud = false;
    });
  }

  /** The open conversation's id; opens a new one first when none is open (sending and previewing need one). */
  async ensureConversation(): Promise<string> {
    if (this.activeId) return this.activeId;
    const created = await this.#conversations.create();
    this.#show(created);
    return created.id;
  }

  async stop(): Promise<void> {
    if (!this.activeId) return;
    try {
      await this.#api.stopGeneration({ conversationId: this.activeId });
    } catch (error) {
      this.error = toUserFacingError(error);
    }
  }

  /** Replaces the last assistant reply (everything after the last user message) with a new one. */
  async regenerate(): Promise<void> {
    const conversationId = this.activeId;
    if (!conversationId || this.isStreaming || this.isSubmitting) return;
    await this.#submit(async () => {
      const exchange = await this.#api.regenerate({ conversationId });
      const lastUserIndex = this.messages.findLastIndex((message) => message.role === 'user');
      this.#replaceFrom(lastUserIndex + 1, exchange);
    });
  }

  /** Rewrites a user message; main drops everything after it and answers again. Returns success. */
  async edit(messageId: string, text: string): Promise<boolean> {
    if (this.isStreaming || this.isSubmitting) return false;
    return this.#submit(async () => {
      const exchange = await this.#api.editMessage({ messageId, text });
      const editedIndex = this.messages.findIndex((message) => message.id === messageId);
      this.#replaceFrom(editedIndex === -1 ? this.messages.length : editedIndex, exchange);
    });
  }

  /** Saves the system prompt and sampling settings of the open conversation. Returns success. */
  updateSettings(settings: ConversationSettings): Promise<boolean> {
    return this.updateConversation(settings);
  }

  /** Changes settings of the open conversation (e.g. its privacy mode) and shows the saved result. Returns success. */
  async updateConversation(update: ConversationUpdate): Promise<boolean> {
    const id = this.activeId;
    if (!id) return false;
    try {
      const updated = await this.#api.updateConversationSettings({ id, ...update });
      if (id === this.activeId) this.conversation = splitConversation(updated).details;
      this.error = null;
      return true;
    } catch (error) {
      this.error = toUserFacingError(error);
      return false;
    }
  }

  async #submit(action: () => Promise<void>): Promise<boolean> {
    this.isSubmitting = true;
    this.error = null;
    try {
      await action();
      return true;
    } catch (error) {
      this.error = toUserFacingError(error);
      return false;
    } finally {
      this.isSubmitting = false;
    }
  }

  #show(conversation: Conversation): void {
    this.#openSequence += 1; // a slower open() still in flight must not replace this one
    const { details, messages } = splitConversation(conversation);
    this.conversation = details;
    this.messages = messages;
    this.error = null;
    this.#pendingDeltas.clear();
    this.#finishedEarly.clear();
  }

  #close(): void {
    this.#openSequence += 1;
    this.conversation = null;
    this.messages = [];
    this.#pendingDeltas.clear();
    this.#finishedEarly.clear();
  }

  /** Drops the messages from `index` on and appends the ones the exchange started. */
  #replaceFrom(index: number, { userMessage, assistantMessage }: ExchangeStarted): void {
    const started = [userMessage, assistantMessage]
      .filter((message): message is Message => message !== null)
      .map((message) => this.#finishedEarly.get(message.id) ?? message);
    for (const message of started) this.#finishedEarly.delete(message.id);
    this.messages = [...this.messages.slice(0, index), ...started];
    this.#scheduleFlush();
  }

  #receiveToken({ conversationId, messageId, text }: EventPayload<'chatToken'>): void {
    if (conversationId !== this.activeId) return;
    this.#pendingDeltas.set(messageId, (this.#pendingDeltas.get(messageId) ?? '') + text);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#pendingDeltas.size === 0) return;
    this.#flushScheduled = true;
    requestAnimationFrame(() => this.#flushDeltas());
  }

  #flushDeltas(): void {
    this.#flushScheduled = false;
    if (!this.messages.some((message) => this.#pendingDeltas.has(message.id))) return;
    this.messages = this.messages.map((message) => {
      const delta = this.#pendingDeltas.get(message.id);
      if (delta === undefined) return message;
      this.#pendingDeltas.delete(message.id);
      return message.status === 'streaming' ? { ...message, content: message.content + delta } : message;
    });
  }

  #receiveFinished(message: Message): void {
    if (message.conversationId !== this.activeId) return;
    this.#pendingDeltas.delete(message.id);
    if (this.messages.some((existing) => existing.id === message.id)) {
      this.messages = this.messages.map((existing) => (existing.id === message.id ? message : existing));
    } else {
      this.#finishedEarly.set(message.id, message);
    }
  }

  /** Titles are set by main after the first message; pick up the new title and settings of the open one. */
  async #refreshDetails(): Promise<void> {
    const id = this.activeId;
    if (!id) return;
    try {
      const { details } = splitConversation(await this.#api.getConversation({ id }));
      if (id === this.activeId) this.conversation = details;
    } catch {
      // A conversation deleted from this window is closed by deleteConversation; a stale title is harmless.
    }
  }
}
