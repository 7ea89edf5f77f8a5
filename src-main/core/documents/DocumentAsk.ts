import type { ChatService, SendOptions } from '../chat/ChatService';
import type { EnclaveEvents } from '../EnclaveEvents';
import type { CollectionInfo, ConversationSource, MessageSource, MessageStatus } from '../shared/types';
import { CollectionNotFoundError } from './errors';
import { NOTHING_RELEVANT_REPLY } from './groundingPrompt';

export interface AskRequest {
  question: string;
  /** A collection's name or id; absent: every document. */
  collection?: string;
  /** 'local', 'auto' or `provider/model`; absent: the app's default model. */
  model?: string;
  /** Who asks, for the usage log. */
  source?: SendOptions['source'];
  /** Aborting stops the reply (what was written so far is kept, status 'stopped'). */
  signal?: AbortSignal;
  /** Each piece of the answer as it streams. */
  onText?: (text: string) => void;
}

export interface DocumentAnswer {
  conversationId: string;
  answer: string;
  status: MessageStatus;
  error: string | null;
  /** True when no passage passed the relevance threshold: the answer says so and no model was asked. */
  nothingRelevant: boolean;
  /** The excerpts the answer cites ([n]). */
  sources: MessageSource[];
  /** Every excerpt the answer was written from, cited or not. */
  excerpts: MessageSource[];
  /** The model that answered; null when none was asked. */
  model: string | null;
}

interface Dependencies {
  chat: ChatService;
  events: EnclaveEvents;
  documents: {
    listCollections(): CollectionInfo[];
    attachSources(conversationId: string, sources: { collectionIds?: string[] }): ConversationSource[];
  };
}

/**
 * One question to the documents, as the CLI (`enclave ask`) and the API (POST /v1/documents/ask) put it: a new
 * conversation with the collection (or every collection) attached, answered through ChatService, so routing,
 * the privacy gate, the ledger and the usage log apply as they do in the app, and the app lists the exchange.
 */
export class DocumentAsk {
  constructor(private readonly deps: Dependencies) {}

  async ask(request: AskRequest): Promise<DocumentAnswer> {
    const collections = this.deps.documents.listCollections();
    const wanted =
      request.collection === undefined
        ? collections
        : [collections.find((c) => c.id === request.collection) ?? collections.find((c) => c.name === request.collection)];
    if (wanted.some((c) => c === undefined)) throw new CollectionNotFoundError(request.collection!);

    const { chat } = this.deps;
    const conversation = chat.createConversation();
    let exchange: ReturnType<ChatService['send']>;
    try {
      this.deps.documents.attachSources(conversation.id, { collectionIds: wanted.map((c) => c!.id) });
      if (request.model !== undefined) chat.updateSettings(conversation.id, { model: request.model });
      request.signal?.throwIfAborted();
      exchange = chat.send(conversation.id, request.question, { source: request.source });
    } catch (error) {
      // Refused before anything was asked (no model loaded, an unknown model…): no empty conversation is left.
      chat.deleteConversation(conversation.id);
      throw error;
    }
    const unsubscribe = this.deps.events.on('chatToken', ({ messageId, text }) => {
      if (messageId === exchange.assistantMessage.id) request.onText?.(text);
    });
    const stop = () => chat.stop(conversation.id);
    request.signal?.addEventListener('abort', stop, { once: true });
    try {
      const reply = await exchange.finished;
      const excerpts = reply?.sources ?? [];
      return {
        conversationId: conversation.id,
        answer: reply?.content ?? '',
        status: reply?.status ?? 'stopped',
        error: reply?.error ?? null,
        nothingRelevant: reply?.status === 'complete' && reply.metrics === null && reply.content === NOTHING_RELEVANT_REPLY,
        sources: excerpts.filter((source) => source.cited),
        excerpts,
        model: reply?.metrics?.model ?? null
      };
    } finally {
      unsubscribe();
      request.signal?.removeEventListener('abort', stop);
    }
  }
}
