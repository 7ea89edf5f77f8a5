import type { ReplyGrounding, Grounding } from '../chat/ChatService';
import type { ConversationSource, DocumentSearchHit, MessageSource } from '../shared/types';
import { MIN_RELEVANCE, type SearchRequest } from './retrieval/DocumentSearch';
import { groundingSystemMessage, NOTHING_RELEVANT_REPLY } from './groundingPrompt';

/** What answering from documents needs of the library and of retrieval. */
export interface DocumentQaDependencies {
  listSources(conversationId: string): ConversationSource[];
  search(request: SearchRequest): Promise<{ results: DocumentSearchHit[] }>;
  /** Passages whose relevance (retrieval's query-coverage score, 0..1) is below this are weak matches, never cited; retrieval's measured MIN_RELEVANCE by default. */
  minRelevance?: number;
}

/** Excerpts a reply is written from: enough to answer, few enough to keep what leaves (with a cloud model) small. */
export const MAX_EXCERPTS = 6;

/**
 * Answers with citations: for a conversation with collections or documents attached, the question is looked
 * up in them, and the reply is written from the numbered excerpts found — only those, never whole documents,
 * reach the model. When nothing passes the relevance threshold the reply says so and no model is asked.
 */
export class DocumentQa implements ReplyGrounding {
  constructor(private readonly deps: DocumentQaDependencies) {}

  async ground(conversationId: string, question: string, signal?: AbortSignal): Promise<Grounding | null> {
    const attached = this.deps.listSources(conversationId);
    if (attached.length === 0) return null;
    const { results } = await this.deps.search({
      query: question,
      k: MAX_EXCERPTS,
      collections: attached.filter((source) => source.kind === 'collection').map((source) => source.id),
      documentIds: attached.filter((source) => source.kind === 'document').map((source) => source.id),
      signal
    });
    const relevant = results.filter((hit) => hit.relevance >= (this.deps.minRelevance ?? MIN_RELEVANCE));
    if (relevant.length === 0) return { nothingRelevant: NOTHING_RELEVANT_REPLY };
    const sources = relevant.map((hit, index) => toSource(hit, index + 1));
    return {
      systemMessage: groundingSystemMessage(sources.map((source) => ({ ...source, text: source.excerpt }))),
      sources
    };
  }
}

function toSource(hit: DocumentSearchHit, n: number): MessageSource {
  return {
    n,
    documentId: hit.documentId,
    chunkId: hit.chunkId,
    documentName: hit.name,
    page: hit.page,
    headingPath: hit.headingPath,
    excerpt: hit.text,
    charStart: hit.charStart,
    charEnd: hit.charEnd,
    cited: false
  };
}
