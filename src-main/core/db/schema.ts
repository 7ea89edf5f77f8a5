import { sql } from 'drizzle-orm';
import { blob, check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// `seq` is the integer row id (stable, so FTS5 external-content tables can point at it);
// `id` is the public identifier used across the bridge, the CLI and the HTTP API.

export const conversations = sqliteTable('conversations', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull().unique(),
  title: text('title').notNull(),
  systemPrompt: text('system_prompt').notNull().default(''),
  /** JSON of SamplingSettings. */
  sampling: text('sampling').notNull(),
  /** 'local', 'auto' or a cloud model 'provider/model'; null: the router's default model. */
  model: text('model'),
  /** Route policy for 'auto'; null: the router's default policy. */
  routePolicy: text('route_policy', { enum: ['local-only', 'local-first', 'cloud-preferred'] }),
  /** Privacy mode for cloud calls; null: the global privacy mode. */
  privacyMode: text('privacy_mode', { enum: ['local-only', 'redact', 'off'] }),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull()
});

export const messages = sqliteTable(
  'messages',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['user', 'assistant'] }).notNull(),
    content: text('content').notNull(),
    status: text('status', { enum: ['complete', 'streaming', 'stopped', 'error'] }).notNull(),
    error: text('error'),
    createdAt: integer('created_at').notNull()
  },
  (table) => [index('messages_conversation_idx').on(table.conversationId, table.seq)]
);

/** One row per generated reply: what the usage dashboard and cost accounting read. */
export const replyMetrics = sqliteTable('reply_metrics', {
  messageId: text('message_id')
    .primaryKey()
    .references(() => messages.id, { onDelete: 'cascade' }),
  model: text('model').notNull(),
  backend: text('backend').notNull(),
  promptTokens: integer('prompt_tokens').notNull(),
  completionTokens: integer('completion_tokens').notNull(),
  timeToFirstTokenMs: real('time_to_first_token_ms'),
  tokensPerSecond: real('tokens_per_second').notNull(),
  totalMs: real('total_ms').notNull(),
  queueWaitMs: real('queue_wait_ms').notNull(),
  /** The cloud provider's name; null for the local model. */
  provider: text('provider'),
  /** What the reply cost in US dollars; null when local or the price is unknown. */
  costUsd: real('cost_usd'),
  /** JSON of RouteInfo: which model answered and why. */
  route: text('route'),
  createdAt: integer('created_at')
    .notNull()
    .default(sql`(unixepoch() * 1000)`)
});

/**
 * Per-conversation pseudonym vault: which placeholder stands for which original value. Local only
 * (it holds the personal data the placeholders hide); rows are only ever inserted.
 */
export const pseudonyms = sqliteTable(
  'pseudonyms',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    placeholder: text('placeholder').notNull(),
    type: text('type').notNull(),
    value: text('value').notNull()
  },
  (table) => [uniqueIndex('pseudonyms_conversation_placeholder_idx').on(table.conversationId, table.placeholder)]
);

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  /** JSON value. */
  value: text('value').notNull()
});

/** Cached thread auto-tune results, keyed by model file and machine fingerprint. */
export const threadTunings = sqliteTable('thread_tunings', {
  key: text('key').primaryKey(),
  modelPath: text('model_path').notNull(),
  bestThreads: integer('best_threads').notNull(),
  /** JSON array of { threads, tokensPerSecond }. */
  samples: text('samples').notNull(),
  createdAt: integer('created_at').notNull()
});

/** Cloud providers the user added. Their API keys live in the OS keychain, never here. */
export const providers = sqliteTable('providers', {
  name: text('name').primaryKey(),
  kind: text('kind').notNull(),
  baseUrl: text('base_url'),
  /** JSON array of the provider's model ids, as last listed by the provider or added by the user. */
  models: text('models').notNull().default('[]'),
  createdAt: integer('created_at').notNull()
});

/**
 * Every request that left the machine for a cloud provider, with the exact payload sent. Kept when its
 * conversation is deleted: it is the record of what left.
 */
export const egressLedger = sqliteTable(
  'egress_ledger',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    conversationId: text('conversation_id'),
    /** Which code path sent it: 'chat', 'api' or 'key-test'. */
    source: text('source').notNull(),
    privacyMode: text('privacy_mode').notNull(),
    /** JSON: the request as handed to the provider client (model, messages, sampling). */
    payload: text('payload').notNull(),
    /** JSON object: PII type → number of entities replaced. */
    entityCounts: text('entity_counts').notNull(),
    status: text('status', { enum: ['sent', 'completed', 'failed', 'aborted'] }).notNull(),
    error: text('error'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    costUsd: real('cost_usd')
  },
  (table) => [
    index('egress_ledger_created_idx').on(table.createdAt),
    index('egress_ledger_provider_idx').on(table.provider, table.createdAt)
  ]
);

// --- Documents (issue #9): collections, uploaded documents, their chunks, and what a conversation cites. ---

export const collections = sqliteTable('collections', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull().unique(),
  name: text('name').notNull().unique(),
  createdAt: integer('created_at').notNull()
});

/** One uploaded file. Its copy lives at `storedPath` (under `<dataDir>/documents/`); chunks are written once parsed. */
export const documents = sqliteTable(
  'documents',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    collectionId: text('collection_id')
      .notNull()
      .references(() => collections.id, { onDelete: 'cascade' }),
    /** The uploaded file's name. */
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    /** The parser that read it: 'pdf', 'docx', 'markdown', 'text', 'html' or 'csv' (sniffed, not taken from the extension). */
    format: text('format').notNull(),
    bytes: integer('bytes').notNull(),
    /** Hex SHA-256 of the content: a second upload of the same bytes to one collection is a duplicate. */
    sha256: text('sha256').notNull(),
    status: text('status', { enum: ['queued', 'parsing', 'embedding', 'ready', 'failed'] }).notNull(),
    /** Why it failed, in words; null unless failed. */
    error: text('error'),
    /** Page count for paged formats (PDF); null otherwise. */
    pages: integer('pages'),
    storedPath: text('stored_path').notNull(),
    /** 0..1 within the current status. */
    progress: real('progress').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull()
  },
  (table) => [
    uniqueIndex('documents_collection_sha256_idx').on(table.collectionId, table.sha256),
    index('documents_status_idx').on(table.status)
  ]
);

/** A passage of a document, in reading order. `seq` is the rowid the full-text and vector indexes point at. */
export const documentChunks = sqliteTable(
  'document_chunks',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    /** 1-based page for paged formats; a chunk never spans two pages. */
    page: integer('page'),
    /** JSON array of the headings above the chunk, outermost first. */
    headingPath: text('heading_path').notNull().default('[]'),
    text: text('text').notNull(),
    /** Offsets into the document's extracted text (UTF-16 code units, end exclusive). */
    charStart: integer('char_start').notNull(),
    charEnd: integer('char_end').notNull()
  },
  (table) => [uniqueIndex('document_chunks_document_ordinal_idx').on(table.documentId, table.ordinal)]
);

/** Collections or single documents a conversation answers from: exactly one of the two is set. */
export const conversationSources = sqliteTable(
  'conversation_sources',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    collectionId: text('collection_id').references(() => collections.id, { onDelete: 'cascade' }),
    documentId: text('document_id').references(() => documents.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull()
  },
  (table) => [
    uniqueIndex('conversation_sources_collection_idx')
      .on(table.conversationId, table.collectionId)
      .where(sql`${table.collectionId} IS NOT NULL`),
    uniqueIndex('conversation_sources_document_idx')
      .on(table.conversationId, table.documentId)
      .where(sql`${table.documentId} IS NOT NULL`),
    check('conversation_sources_one_target', sql`(${table.collectionId} IS NULL) <> (${table.documentId} IS NULL)`)
  ]
);

// ── Usage metrics (core/metrics): one row per model request, for the usage dashboard and `enclave stats`. ──

/**
 * Every request a model was asked to answer — from the app, the CLI, the local API or documents — written
 * once by the router (or the raw completions path) with its outcome, tokens, timings and cost. Kept when its
 * conversation is deleted: the figures stay true.
 */
export const usageRequests = sqliteTable(
  'usage_requests',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    /** When the request started (ms since the epoch). */
    createdAt: integer('created_at').notNull(),
    source: text('source', { enum: ['app', 'cli', 'api', 'documents'] }).notNull(),
    /** The local model's id, or the cloud model as `provider/model`. */
    model: text('model').notNull(),
    /** The cloud provider's name; null for the local model. */
    provider: text('provider'),
    location: text('location', { enum: ['local', 'cloud'] }).notNull(),
    outcome: text('outcome', { enum: ['answered', 'stopped', 'failed', 'blocked'] }).notNull(),
    /** Why a blocked request was refused: the privacy switch, failed detection in the gate, or a budget. */
    blockReason: text('block_reason', { enum: ['privacy', 'detection', 'budget'] }),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    timeToFirstTokenMs: real('time_to_first_token_ms'),
    /** null when fewer than two tokens were generated (no rate to measure). */
    tokensPerSecond: real('tokens_per_second'),
    totalMs: real('total_ms'),
    costUsd: real('cost_usd'),
    conversationId: text('conversation_id'),
    /** JSON object: PII type → entities replaced before the request left. */
    entityCounts: text('entity_counts').notNull().default('{}'),
    /** The sum of entityCounts, so the privacy query reads only rows that redacted something. */
    redactedEntities: integer('redacted_entities').notNull().default(0)
  },
  (table) => [
    index('usage_requests_created_idx').on(table.createdAt),
    index('usage_requests_redacted_idx')
      .on(table.createdAt)
      .where(sql`${table.redactedEntities} > 0`)
  ]
);

/**
 * Daily rollups of usage_requests, per time zone and local day, computed once a day is over (the first time a
 * query covers it) so the dashboard reads a few rows per day instead of every request. A day's rows are dropped
 * when a request is recorded into it afterwards (imports), and computed again.
 */
export const usageRollupDays = sqliteTable(
  'usage_rollup_days',
  {
    timeZone: text('time_zone').notNull(),
    day: text('day').notNull(),
    dayStart: integer('day_start').notNull(),
    dayEnd: integer('day_end').notNull()
  },
  (table) => [
    uniqueIndex('usage_rollup_days_zone_day_idx').on(table.timeZone, table.day),
    index('usage_rollup_days_span_idx').on(table.dayStart, table.dayEnd)
  ]
);

/**
 * Sums per zone, day and model, with the first-token times and speeds of its answered replies, sorted: a range's
 * exact p50/p95 per model merge these instead of reading every request again.
 */
export const usageDailyModels = sqliteTable(
  'usage_daily_models',
  {
    timeZone: text('time_zone').notNull(),
    day: text('day').notNull(),
    location: text('location').notNull(),
    provider: text('provider'),
    model: text('model').notNull(),
    requests: integer('requests').notNull(),
    answered: integer('answered').notNull(),
    stopped: integer('stopped').notNull(),
    failed: integer('failed').notNull(),
    blocked: integer('blocked').notNull(),
    blockedByPrivacy: integer('blocked_by_privacy').notNull(),
    blockedByDetection: integer('blocked_by_detection').notNull(),
    blockedByBudget: integer('blocked_by_budget').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull(),
    costUsd: real('cost_usd').notNull(),
    redactedEntities: integer('redacted_entities').notNull(),
    /** That day's p50/p95 of the samples below (null: none), for the per-day charts. */
    ttftP50Ms: real('ttft_p50_ms'),
    ttftP95Ms: real('ttft_p95_ms'),
    tokensPerSecondP50: real('tokens_per_second_p50'),
    tokensPerSecondP95: real('tokens_per_second_p95'),
    /** Float64 values in ascending order (SortedSamples); null when no answered reply reported one. */
    ttftSamples: blob('ttft_samples', { mode: 'buffer' }),
    tokensPerSecondSamples: blob('tokens_per_second_samples', { mode: 'buffer' })
  },
  (table) => [index('usage_daily_models_zone_day_idx').on(table.timeZone, table.day)]
);

/** Requests and tokens per zone, day and source (the per-source table; the rest is per model). */
export const usageDailySources = sqliteTable(
  'usage_daily_sources',
  {
    timeZone: text('time_zone').notNull(),
    day: text('day').notNull(),
    source: text('source').notNull(),
    requests: integer('requests').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull()
  },
  (table) => [index('usage_daily_sources_zone_day_idx').on(table.timeZone, table.day)]
);

/** Entities redacted per zone, day and PII type. */
export const usageDailyEntities = sqliteTable(
  'usage_daily_entities',
  {
    timeZone: text('time_zone').notNull(),
    day: text('day').notNull(),
    type: text('type').notNull(),
    count: integer('count').notNull()
  },
  (table) => [index('usage_daily_entities_zone_day_idx').on(table.timeZone, table.day)]
);

// --- Document answers (issue #9): the excerpts a reply was written from, numbered as the reply cites them. ---

/**
 * Owned by ConversationStore with the messages. The excerpt, its place and its document's name are copied,
 * so a reply keeps its sources readable after the document is deleted (the ids then become null).
 */
export const messageSources = sqliteTable(
  'message_sources',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    /** The number the reply cites it by: `[n]`. */
    n: integer('n').notNull(),
    documentId: text('document_id').references(() => documents.id, { onDelete: 'set null' }),
    chunkId: text('chunk_id').references(() => documentChunks.id, { onDelete: 'set null' }),
    documentName: text('document_name').notNull(),
    page: integer('page'),
    /** JSON array of the headings above the excerpt, outermost first. */
    headingPath: text('heading_path').notNull().default('[]'),
    excerpt: text('excerpt').notNull(),
    /** The excerpt's offsets in the document's extracted text (UTF-16 code units, end exclusive). */
    charStart: integer('char_start').notNull(),
    charEnd: integer('char_end').notNull(),
    /** The reply cites it (the others were retrieved and shown to the model, but not used). */
    cited: integer('cited', { mode: 'boolean' }).notNull()
  },
  (table) => [uniqueIndex('message_sources_message_n_idx').on(table.messageId, table.n)]
);

// --- Document retrieval (issue #9): chunk embeddings. The full-text index (document_chunks_fts) is a custom
// migration; the sqlite-vec index is created at run time with the embedding model's dimension (DocumentIndex). ---

/** One embedding per chunk, from the embedding model named in the 'documents.embedding' setting (float32 LE). */
export const documentEmbeddings = sqliteTable('document_embeddings', {
  chunkSeq: integer('chunk_seq')
    .primaryKey()
    .references(() => documentChunks.seq, { onDelete: 'cascade' }),
  vector: blob('vector', { mode: 'buffer' }).notNull()
});
