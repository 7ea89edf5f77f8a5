import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type {
  Conversation,
  ConversationSummary,
  Message,
  MessageRole,
  MessageSource,
  MessageStatus,
  PrivacyMode,
  ReplyMetrics,
  RouteInfo,
  RoutePolicy,
  SamplingSettings
} from '../shared/types';
import type { EnclaveDb } from '../db/openDatabase';
import { conversations, messageSources, messages, replyMetrics } from '../db/schema';
import { ConversationNotFoundError, MessageNotFoundError } from './errors';

export const DEFAULT_TITLE = 'New chat';

export const DEFAULT_SAMPLING: SamplingSettings = {
  temperature: 0.7,
  topP: 0.95,
  maxTokens: 1024,
  contextSize: null
};

const MAX_SEARCH_TERMS = 16;

export interface ConversationSettingsUpdate {
  systemPrompt?: string;
  sampling?: Partial<SamplingSettings>;
  model?: string | null;
  routePolicy?: RoutePolicy | null;
  privacyMode?: PrivacyMode | null;
}
const MAX_LISTED = 500;

type ConversationRow = typeof conversations.$inferSelect;
type MessageRow = typeof messages.$inferSelect;
type MetricsRow = typeof replyMetrics.$inferSelect;

type SourceRow = typeof messageSources.$inferSelect;

/** Owns the conversations, messages, reply_metrics and message_sources tables; nothing else writes them. */
export class ConversationStore {
  constructor(private readonly db: EnclaveDb) {}

  create({
    title,
    systemPrompt,
    sampling
  }: { title?: string; systemPrompt?: string; sampling?: Partial<SamplingSettings> } = {}): Conversation {
    const now = Date.now();
    const row = this.db
      .insert(conversations)
      .values({
        id: randomUUID(),
        title: title?.trim() || DEFAULT_TITLE,
        systemPrompt: systemPrompt ?? '',
        sampling: JSON.stringify({ ...DEFAULT_SAMPLING, ...sampling }),
        createdAt: now,
        updatedAt: now
      })
      .returning()
      .get();
    return { ...toConversationSettings(row), messages: [] };
  }

  /** Newest first; with a query, only conversations whose title or messages match it (FTS5). */
  list(query?: string): ConversationSummary[] {
    const match = query ? toFtsQuery(query) : null;
    if (query && !match) return [];
    if (!match) {
      return this.db
        .select()
        .from(conversations)
        .orderBy(desc(conversations.updatedAt), desc(conversations.seq))
        .limit(MAX_LISTED)
        .all()
        .map((row) => toSummary(row, null));
    }
    const rows = this.db.all<ConversationRow & { snippet: string | null }>(sql`
      WITH hits AS (
        SELECT c.id AS conversation_id, NULL AS snippet, bm25(conversations_fts) AS rank
          FROM conversations_fts JOIN conversations c ON c.seq = conversations_fts.rowid
          WHERE conversations_fts MATCH ${match}
        UNION ALL
        SELECT m.conversation_id, snippet(messages_fts, 0, '[', ']', '…', 12), bm25(messages_fts)
          FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid
          WHERE messages_fts MATCH ${match}
      )
      SELECT c.seq, c.id, c.title, c.system_prompt AS systemPrompt, c.sampling, c.created_at AS createdAt,
             c.updated_at AS updatedAt,
             (SELECT h.snippet FROM hits h WHERE h.conversation_id = c.id AND h.snippet IS NOT NULL
               ORDER BY h.rank LIMIT 1) AS snippet
        FROM conversations c
        WHERE c.id IN (SELECT conversation_id FROM hits)
        ORDER BY c.updated_at DESC, c.seq DESC
        LIMIT ${MAX_LISTED}`);
    return rows.map((row) => toSummary(row, row.snippet));
  }

  get(id: string): Conversation {
    const row = this.requireRow(id);
    const messageRows = this.db
      .select()
      .from(messages)
      .leftJoin(replyMetrics, eq(replyMetrics.messageId, messages.id))
      .where(eq(messages.conversationId, id))
      .orderBy(asc(messages.seq))
      .all();
    const sources = this.sourcesOf(
      messageRows.filter(({ messages: message }) => message.role === 'assistant').map(({ messages: m }) => m.id)
    );
    return {
      ...toConversationSettings(row),
      messages: messageRows.map(({ messages: message, reply_metrics: metrics }) => toMessage(message, metrics, sources.get(message.id)))
    };
  }

  rename(id: string, title: string): ConversationSummary {
    const row = this.db
      .update(conversations)
      .set({ title: title.trim(), updatedAt: Date.now() })
      .where(eq(conversations.id, id))
      .returning()
      .get();
    if (!row) throw new ConversationNotFoundError(id);
    return toSummary(row, null);
  }

  delete(id: string): void {
    const { changes } = this.db.delete(conversations).where(eq(conversations.id, id)).run();
    if (changes === 0) throw new ConversationNotFoundError(id);
  }

  /** `undefined` leaves a field as it is; null for model, routePolicy or privacyMode means "use the app's default". */
  updateSettings(id: string, update: ConversationSettingsUpdate): Conversation {
    const current = this.requireRow(id);
    this.db
      .update(conversations)
      .set({
        systemPrompt: update.systemPrompt ?? current.systemPrompt,
        sampling: JSON.stringify({ ...parseSampling(current.sampling), ...update.sampling }),
        model: update.model === undefined ? current.model : update.model,
        routePolicy: update.routePolicy === undefined ? current.routePolicy : update.routePolicy,
        privacyMode: update.privacyMode === undefined ? current.privacyMode : update.privacyMode,
        updatedAt: Date.now()
      })
      .where(eq(conversations.id, id))
      .run();
    return this.get(id);
  }

  addMessage(conversationId: string, role: MessageRole, content: string, status: MessageStatus): Message {
    this.requireRow(conversationId);
    const now = Date.now();
    const row = this.db
      .insert(messages)
      .values({ id: randomUUID(), conversationId, role, content, status, createdAt: now })
      .returning()
      .get();
    this.touch(conversationId, now);
    return toMessage(row, null, []);
  }

  getMessage(id: string): Message {
    const found = this.db
      .select()
      .from(messages)
      .leftJoin(replyMetrics, eq(replyMetrics.messageId, messages.id))
      .where(eq(messages.id, id))
      .get();
    if (!found) throw new MessageNotFoundError(id);
    return toMessage(found.messages, found.reply_metrics, this.sourcesOf([id]).get(id));
  }

  updateMessage(id: string, update: { content?: string; status?: MessageStatus; error?: string | null }): void {
    this.db.update(messages).set(update).where(eq(messages.id, id)).run();
  }

  /** Writes the final state of a reply, its metrics and the excerpts it was written from, in one transaction. */
  finishReply(
    id: string,
    update: { content: string; status: MessageStatus; error: string | null },
    metrics: ReplyMetrics | null,
    sources: readonly MessageSource[] = []
  ): Message {
    this.db.transaction((tx) => {
      if (sources.length)
        tx.insert(messageSources)
          .values(sources.map(({ headingPath, ...source }) => ({ messageId: id, ...source, headingPath: JSON.stringify(headingPath) })))
          .onConflictDoNothing()
          .run();
      tx.update(messages).set(update).where(eq(messages.id, id)).run();
      if (metrics)
        tx.insert(replyMetrics)
          .values({ messageId: id, ...metrics, route: metrics.route ? JSON.stringify(metrics.route) : null })
          .onConflictDoNothing()
          .run();
    });
    return this.getMessage(id);
  }

  /** Deletes a message and every later one in its conversation (edit-and-resend, regenerate). */
  truncateFrom(messageId: string): void {
    const row = this.db.select().from(messages).where(eq(messages.id, messageId)).get();
    if (!row) throw new MessageNotFoundError(messageId);
    this.db
      .delete(messages)
      .where(and(eq(messages.conversationId, row.conversationId), gte(messages.seq, row.seq)))
      .run();
  }

  setTitleIfDefault(id: string, title: string): boolean {
    const { changes } = this.db
      .update(conversations)
      .set({ title })
      .where(and(eq(conversations.id, id), eq(conversations.title, DEFAULT_TITLE)))
      .run();
    return changes > 0;
  }

  /** Replies left 'streaming' by a crash or a killed process are kept, marked stopped. */
  recoverInterrupted(): number {
    return this.db.update(messages).set({ status: 'stopped' }).where(eq(messages.status, 'streaming')).run().changes;
  }

  /** Message id → its sources in citation order, for the given messages. */
  private sourcesOf(messageIds: string[]): Map<string, MessageSource[]> {
    const byMessage = new Map<string, MessageSource[]>();
    if (messageIds.length === 0) return byMessage;
    const rows = this.db
      .select()
      .from(messageSources)
      .where(inArray(messageSources.messageId, messageIds))
      .orderBy(asc(messageSources.messageId), asc(messageSources.n))
      .all();
    for (const row of rows) byMessage.set(row.messageId, [...(byMessage.get(row.messageId) ?? []), toSource(row)]);
    return byMessage;
  }

  private touch(id: string, at: number): void {
    this.db.update(conversations).set({ updatedAt: at }).where(eq(conversations.id, id)).run();
  }

  private requireRow(id: string): ConversationRow {
    const row = this.db.select().from(conversations).where(eq(conversations.id, id)).get();
    if (!row) throw new ConversationNotFoundError(id);
    return row;
  }
}

/** User text becomes a safe FTS5 query: each word a quoted prefix term, all required. */
export function toFtsQuery(input: string): string | null {
  const terms = (input.match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, MAX_SEARCH_TERMS);
  return terms.length ? terms.map((term) => `"${term}"*`).join(' ') : null;
}

function toSummary(row: ConversationRow, snippet: string | null): ConversationSummary {
  return { id: row.id, title: row.title, createdAt: row.createdAt, updatedAt: row.updatedAt, snippet };
}

function toConversationSettings(row: ConversationRow): Omit<Conversation, 'messages'> {
  return {
    ...toSummary(row, null),
    systemPrompt: row.systemPrompt,
    sampling: parseSampling(row.sampling),
    model: row.model,
    routePolicy: row.routePolicy,
    privacyMode: row.privacyMode
  };
}

function parseSampling(json: string): SamplingSettings {
  return { ...DEFAULT_SAMPLING, ...(JSON.parse(json) as Partial<SamplingSettings>) };
}

function toSource({ seq: _seq, messageId: _messageId, headingPath, ...row }: SourceRow): MessageSource {
  return { ...row, headingPath: JSON.parse(headingPath) as string[] };
}

function toMessage(row: MessageRow, metrics: MetricsRow | null, sources: MessageSource[] = []): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    role: row.role,
    content: row.content,
    status: row.status,
    error: row.error,
    createdAt: row.createdAt,
    sources,
    metrics: metrics
      ? {
          model: metrics.model,
          backend: metrics.backend as ReplyMetrics['backend'],
          promptTokens: metrics.promptTokens,
          completionTokens: metrics.completionTokens,
          timeToFirstTokenMs: metrics.timeToFirstTokenMs,
          tokensPerSecond: metrics.tokensPerSecond,
          totalMs: metrics.totalMs,
          queueWaitMs: metrics.queueWaitMs,
          provider: metrics.provider,
          costUsd: metrics.costUsd,
          route: metrics.route ? (JSON.parse(metrics.route) as RouteInfo) : null
        }
      : null
  };
}
