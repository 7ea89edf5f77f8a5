import type {
  Conversation,
  ConversationSummary,
  EgressPreview,
  ExchangeStarted,
  Message,
  MessageSource,
  MessageStatus
} from '../shared/types';
import type { GenerateCallbacks, ModelRouter, RoutedResult, RouteRequest } from '../cloud/ModelRouter';
import { citedNumbers } from '../shared/citations';
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
  /** Who asks, for the usage log: the app by default; the CLI and the API say so. */
  source?: 'app' | 'cli' | 'api';
}

/**
 * Answers from documents (DocumentQa): what a reply to `question` is written from. null: the conversation
 * has no documents attached and the reply is an ordinary one.
 */
export interface ReplyGrounding {
  ground(conversationId: string, question: string, signal?: AbortSignal): Promise<Grounding | null>;
}

export type Grounding =
  /** The numbered excerpts, as one system message, and the sources they come from (`cited` is set from the reply). */
  | { systemMessage: string; sources: MessageSource[] }
  /** Nothing relevant was found: this is the reply, and no model is asked. */
  | { nothingRelevant: string };

type Outcome = { content: string; status: MessageStatus; error: string | null };

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
    private readonly events: EnclaveEvents,
    private readonly grounding: ReplyGrounding | null = null
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
  async preview(conversationId: string, text: string, options: SendOptions = {}): Promise<EgressPreview> {
    const conversation = this.store.get(conversationId);
    const turns = [...toTurns(conversation), { role: 'user' as const, content: text }];
    const grounding = (await this.grounding?.ground(conversationId, text)) ?? null;
    const preview = await this.router.preview(this.routeRequest(conversation, withGrounding(turns, grounding), options));
    if (!grounding || !('nothingRelevant' in grounding) || preview.refused) return preview;
    return {
      ...preview,
      target: null,
      blockedReason: 'Nothing in the attached documents matches this message: the reply says so, and nothing leaves this machine.',
      messages: [],
      entityCounts: {}
    };
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
      source: options.source ?? 'app'
    };
  }

  private startReply(conversationId: string, options: SendOptions = {}): Omit<Exchange, 'userMessage'> {
    const conversation = this.store.get(conversationId);
    const assistantMessage = this.store.addMessage(conversationId, 'assistant', '', 'streaming');
    const controller = new AbortController();

    let streamed = '';
    const flush = setInterval(() => this.store.updateMessage(assistantMessage.id, { content: streamed }), FLUSH_INTERVAL_MS);
    const generation = this.reply(conversation, options, {
      signal: controller.signal,
      onTextChunk: (text) => {
        streamed += text;
        this.events.emit('chatToken', { conversationId, messageId: assistantMessage.id, text });
      }
    });

    const finished = generation
      .then(
        ({ outcome, result, sources }) => this.persistOutcome(assistantMessage.id, outcome, result, sources),
        (error: unknown) =>
          this.persistOutcome(
            assistantMessage.id,
            controller.signal.aborted
              ? { content: streamed, status: 'stopped', error: null }
              : { content: streamed, status: 'error', error: (error as Error)?.message ?? String(error) },
            null,
            []
          )
      )
      .finally(() => {
        clearInterval(flush);
        this.active.delete(conversationId);
      });
    this.active.set(conversationId, { controller, finished });
    return { assistantMessage, finished };
  }

  /** Grounds the reply in the attached documents (when there are any), then asks the router. */
  private async reply(
    conversation: Conversation,
    options: SendOptions,
    callbacks: GenerateCallbacks & { onTextChunk: (text: string) => void }
  ): Promise<{ outcome: Outcome; result: RoutedResult | null; sources: MessageSource[] }> {
    const question = conversation.messages.findLast((message) => message.role === 'user')?.content ?? '';
    const grounding = (await this.grounding?.ground(conversation.id, question, callbacks.signal)) ?? null;
    if (grounding && 'nothingRelevant' in grounding) {
      callbacks.onTextChunk(grounding.nothingRelevant);
      return { outcome: { content: grounding.nothingRelevant, status: 'complete', error: null }, result: null, sources: [] };
    }
    const turns = withGrounding(toTurns(conversation), grounding);
    // A reply written from documents is counted as a documents request, whoever asked.
    const request = this.routeRequest(conversation, turns, options);
    const result = await this.router.generate(grounding ? { ...request, source: 'documents' } : request, callbacks);
    const cited = new Set(grounding ? citedNumbers(result.text, grounding.sources.length) : []);
    const sources = (grounding?.sources ?? []).map((source) => ({ ...source, cited: cited.has(source.n) }));
    return { outcome: outcomeOf(result), result, sources };
  }

  private persistOutcome(messageId: string, outcome: Outcome, result: RoutedResult | null, sources: MessageSource[]): Message | null {
    try {
      const message = this.store.finishReply(messageId, outcome, result?.metrics ?? null, sources);
      this.events.emit('messageFinished', { message });
      return message;
    } catch {
      // The conversation was deleted while the reply was being written: nothing left to save.
      return null;
    }
  }
}

function outcomeOf(result: RoutedResult): Outcome {
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

/** The excerpts join the conversation's system prompt: one system message, which every chat template accepts. */
function withGrounding(turns: ChatTurn[], grounding: Grounding | null): ChatTurn[] {
  if (!grounding || !('systemMessage' in grounding)) return turns;
  const [first, ...rest] = turns;
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${grounding.systemMessage}` }, ...rest];
  return [{ role: 'system', content: grounding.systemMessage }, ...turns];
}

function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}
