import type { Conversation, ConversationSummary, EgressPreview, ExchangeStarted, Message, MessageStatus } from '../shared/types';
import type { ModelRouter, RoutedResult, RouteRequest } from '../cloud/ModelRouter';
import { parseSettingRef } from '../cloud/modelRefs';
import { PrivacyOffNotConfirmedError } from '../privacy/errors';
import type { EnclaveEvents } from '../EnclaveEvents';
import type { ChatTurn } from '../engine/LocalModel';
import { ChatStateError } from './errors';
import type { ConversationSettingsUpdate, ConversationStore } from './ConversationStore';

/** Per-message choices the user makes when sending. */
export interface SendOptions {
  /** Placeholders to send as their original text this time (from the egress preview). */
  unredact?: readonly string[];
  /** Ask a cloud model for this one message. */
  useCloud?: boolean;
}

/** What a caller that waits for the reply (the CLI, a test) gets on top of the started exchange. */
export interface Exchange extends ExchangeStarted {
  /** Resolves with the final assistant message, or null if its conversation was deleted meanwhile. Never rejects. */
  finished: Promise<Message | null>;
}

const TITLE_LENGTH = 60;
/** Streamed text is written to disk this often, so a crash loses at most this much of a reply. */
const FLUSH_INTERVAL_MS = 1000;

/** The generate-and-persist flow: history in, streamed reply out, everything saved. */
export class ChatService {
  private readonly active = new Map<string, { controller: AbortController; finished: Promise<Message | null> }>();

  constructor(
    private readonly store: ConversationStore,
    private readonly router: ModelRouter,
    private readonly events: EnclaveEvents
  ) {}

  isGenerating(conversationId: string): boolean {
    return this.active.has(conversationId);
  }

  createConversation(settings: { title?: string; systemPrompt?: string } = {}): Conversation {
    const conversation = this.store.create(settings);
    this.events.emit('conversationsChanged', {});
    return conversation;
  }

  renameConversation(conversationId: string, title: string): ConversationSummary {
    const summary = this.store.rename(conversationId, title);
    this.events.emit('conversationsChanged', {});
    return summary;
  }

  send(conversationId: string, text: string, options: SendOptions = {}): Exchange {
    this.assertIdle(conversationId);
    this.assertRoutable(conversationId, text, options);
    const userMessage = this.store.addMessage(conversationId, 'user', text, 'complete');
    if (this.store.setTitleIfDefault(conversationId, titleFrom(text))) this.events.emit('conversationsChanged', {});
    return { userMessage, ...this.startReply(conversationId, options) };
  }

  /** Exactly what sending `text` next would put on the wire (nothing is sent). */
  preview(conversationId: string, text: string, options: SendOptions = {}): Promise<EgressPreview> {
    const conversation = this.store.get(conversationId);
    const turns = [...toTurns(conversation), { role: 'user' as const, content: text }];
    return this.router.preview(this.routeRequest(conversation, turns, options));
  }

  /** Replaces the last reply with a new one. */
  regenerate(conversationId: string): Exchange {
    this.assertIdle(conversationId);
    this.assertRoutable(conversationId, '', {});
    const last = this.store.get(conversationId).messages.at(-1);
    if (!last) throw new ChatStateError('There is no message to answer yet. Send a message first.');
    if (last.role === 'assistant') this.store.truncateFrom(last.id);
    return { userMessage: null, ...this.startReply(conversationId) };
  }

  /** Rewrites a user message, drops everything after it, and answers again. */
  editAndResend(messageId: string, text: string): Exchange {
    const original = this.store.getMessage(messageId);
    if (original.role !== 'user') throw new ChatStateError('Only your own messages can be edited.');
    this.assertIdle(original.conversationId);
    this.assertRoutable(original.conversationId, text, {});
    this.store.truncateFrom(messageId);
    const userMessage = this.store.addMessage(original.conversationId, 'user', text, 'complete');
    return { userMessage, ...this.startReply(original.conversationId) };
  }

  /** Conversation settings; turning privacy Off needs `confirmPrivacyOff`, and a model must be a valid ref. */
  updateSettings(conversationId: string, update: ConversationSettingsUpdate & { confirmPrivacyOff?: boolean }): Conversation {
    const { confirmPrivacyOff, ...changes } = update;
    if (changes.model) parseSettingRef(changes.model);
    if (changes.privacyMode === 'off' && this.store.get(conversationId).privacyMode !== 'off' && !confirmPrivacyOff)
      throw new PrivacyOffNotConfirmedError();
    const updated = this.store.updateSettings(conversationId, changes);
    this.events.emit('conversationsChanged', {});
    return updated;
  }

  stop(conversationId: string): void {
    this.active.get(conversationId)?.controller.abort();
  }

  deleteConversation(conversationId: string): void {
    this.stop(conversationId);
    this.store.delete(conversationId);
    this.events.emit('conversationsChanged', {});
  }

  /** Stops every reply and waits until each one's partial text is saved. */
  async stopAll(): Promise<void> {
    const pending = [...this.active.values()];
    for (const { controller } of pending) controller.abort();
    await Promise.all(pending.map(({ finished }) => finished));
  }

  private assertIdle(conversationId: string): void {
    if (this.active.has(conversationId))
      throw new ChatStateError('A reply is still being written in this conversation. Stop it first (Esc).');
  }

  /** Refuses before anything is saved when no model can answer (none loaded, Local only with a cloud model…). */
  private assertRoutable(conversationId: string, extraText: string, options: SendOptions): void {
    const conversation = this.store.get(conversationId);
    const promptChars = toTurns(conversation).reduce((sum, turn) => sum + turn.content.length, extraText.length);
    this.router.assertRoutable({ ...this.routeRequest(conversation, [], options), promptChars });
  }

  private routeRequest(conversation: Conversation, turns: ChatTurn[], options: SendOptions): RouteRequest {
    return {
      conversationId: conversation.id,
      requested: conversation.model,
      policy: conversation.routePolicy,
      privacyMode: conversation.privacyMode,
      useCloud: options.useCloud,
      unredact: options.unredact,
      turns,
      sampling: conversation.sampling,
      source: 'chat'
    };
  }

  private startReply(conversationId: string, options: SendOptions = {}): Omit<Exchange, 'userMessage'> {
    const conversation = this.store.get(conversationId);
    const assistantMessage = this.store.addMessage(conversationId, 'assistant', '', 'streaming');
    const controller = new AbortController();

    let streamed = '';
    const flush = setInterval(() => this.store.updateMessage(assistantMessage.id, { content: streamed }), FLUSH_INTERVAL_MS);
    const generation = this.router.generate(this.routeRequest(conversation, toTurns(conversation), options), {
      signal: controller.signal,
      onTextChunk: (text) => {
        streamed += text;
        this.events.emit('chatToken', { conversationId, messageId: assistantMessage.id, text });
      }
    });

    const finished = generation
      .then(
        (result) => this.persistOutcome(assistantMessage.id, outcomeOf(result), result),
        (error: unknown) =>
          this.persistOutcome(
            assistantMessage.id,
            controller.signal.aborted
              ? { content: streamed, status: 'stopped', error: null }
              : { content: streamed, status: 'error', error: (error as Error)?.message ?? String(error) },
            null
          )
      )
      .finally(() => {
        clearInterval(flush);
        this.active.delete(conversationId);
      });
    this.active.set(conversationId, { controller, finished });
    return { assistantMessage, finished };
  }

  private persistOutcome(
    messageId: string,
    outcome: { content: string; status: MessageStatus; error: string | null },
    result: RoutedResult | null
  ): Message | null {
    try {
      const message = this.store.finishReply(messageId, outcome, result?.metrics ?? null);
      this.events.emit('messageFinished', { message });
      return message;
    } catch {
      // The conversation was deleted while the reply was being written: nothing left to save.
      return null;
    }
  }
}

function outcomeOf(result: RoutedResult): { content: string; status: MessageStatus; error: null } {
  return { content: result.text, status: result.stopReason === 'aborted' ? 'stopped' : 'complete', error: null };
}

/** The model sees the system prompt and every finished turn; failed or empty replies are left out. */
function toTurns(conversation: Conversation): ChatTurn[] {
  const turns: ChatTurn[] = conversation.systemPrompt.trim() ? [{ role: 'system', content: conversation.systemPrompt }] : [];
  for (const message of conversation.messages) {
    if (message.status === 'error' || message.status === 'streaming' || !message.content) continue;
    turns.push({ role: message.role, content: message.content });
  }
  return turns;
}

function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}
