import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../src-main/core/chat/ConversationStore';
import { ConversationNotFoundError } from '../src-main/core/chat/errors';
import { DATABASE_FILE, Enclave } from '../src-main/core/Enclave';
import { DatabaseCorruptError, DatabaseLockedError } from '../src-main/core/db/errors';
import { openDatabase, type EnclaveDb } from '../src-main/core/db/openDatabase';
import { resourcePath } from '../src-main/core/paths';
import { prepareDataDir } from '../src-main/core/prepareDataDir';
import type { ReplyMetrics } from '../src-main/core/shared/types';
import { useTempDir } from './support/tempDir';

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

const journal = JSON.parse(readFileSync(resourcePath('migrations', 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] };

/** Deterministic noise (a SHA-256 chain), so a damaged-file test never depends on luck. */
function noise(length: number, seed: string): Buffer {
  const blocks: Buffer[] = [];
  let block = createHash('sha256').update(seed).digest();
  for (let size = 0; size < length; size += block.length) {
    blocks.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(blocks).subarray(0, length);
}

const metrics: ReplyMetrics = {
  model: 'test.gguf',
  backend: 'cpu',
  promptTokens: 12,
  completionTokens: 5,
  timeToFirstTokenMs: 3,
  tokensPerSecond: 100,
  totalMs: 50,
  queueWaitMs: 0,
  provider: null,
  costUsd: null,
  route: null
};

describe('database', () => {
  const tempDir = useTempDir('enclave-db-');
  const open: EnclaveDb[] = [];
  const others: Database.Database[] = [];

  afterEach(() => {
    for (const db of open.splice(0)) if (db.$client.open) db.$client.close();
    for (const client of others.splice(0)) if (client.open) client.close();
  });

  function openDb(file = join(tempDir(), DATABASE_FILE)): { db: EnclaveDb; file: string; store: ConversationStore } {
    const db = openDatabase({ file });
    open.push(db);
    return { db, file, store: new ConversationStore(db) };
  }

  const names = (db: EnclaveDb, type: string) =>
    (db.$client.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').all(type) as { name: string }[]).map((r) => r.name);

  const migrationRows = (db: EnclaveDb) =>
    db.$client.prepare('SELECT id, hash, created_at FROM __drizzle_migrations ORDER BY id').all() as {
      id: number;
      hash: string;
      created_at: number;
    }[];

  /** FTS5's own consistency check of the external-content index against its table. */
  function ftsIntegrity(db: EnclaveDb): void {
    db.$client.exec(`INSERT INTO conversations_fts(conversations_fts) VALUES('integrity-check')`);
    db.$client.exec(`INSERT INTO messages_fts(messages_fts) VALUES('integrity-check')`);
  }

  describe('migrations', () => {
    it('creates every table, the FTS tables and their triggers from an empty file', () => {
      const { db } = openDb();
      const tables = names(db, 'table');
      for (const table of ['conversations', 'messages', 'reply_metrics', 'settings', 'thread_tunings', '__drizzle_migrations'])
        expect(tables).toContain(table);
      for (const fts of ['conversations_fts', 'messages_fts', 'document_chunks_fts']) {
        expect(tables).toContain(fts);
        const { sql } = db.$client.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(fts) as { sql: string };
        expect(sql).toMatch(/USING fts5/i);
        expect(sql).toContain('remove_diacritics 2');
      }
      expect(names(db, 'trigger')).toEqual([
        'conversations_fts_delete',
        'conversations_fts_insert',
        'conversations_fts_update',
        'document_chunks_fts_delete',
        'document_chunks_fts_insert',
        'document_chunks_fts_update',
        'documents_fts_rename',
        'messages_fts_delete',
        'messages_fts_insert',
        'messages_fts_update'
      ]);
      expect(names(db, 'index')).toEqual(
        expect.arrayContaining(['conversations_id_unique', 'messages_id_unique', 'messages_conversation_idx'])
      );
    });

    it('records one __drizzle_migrations row per journal entry, with its timestamp and file hash', () => {
      const { db } = openDb();
      const rows = migrationRows(db);
      expect(journal.entries.length).toBeGreaterThanOrEqual(2);
      expect(rows).toHaveLength(journal.entries.length);
      rows.forEach((row, i) => {
        const entry = journal.entries[i]!;
        expect(Number(row.created_at)).toBe(entry.when);
        const sqlText = readFileSync(resourcePath('migrations', `${entry.tag}.sql`), 'utf8');
        expect(row.hash).toBe(createHash('sha256').update(sqlText).digest('hex'));
      });
    });

    it('re-opening is a no-op: same migration rows and schema, data kept', () => {
      const first = openDb();
      const conversation = first.store.create({ title: 'Keep me', systemPrompt: 'Be brief.' });
      first.store.addMessage(conversation.id, 'user', 'remember the lighthouse', 'complete');
      const rowsBefore = migrationRows(first.db);
      const schemaBefore = first.db.$client.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
      first.db.$client.close();

      for (let i = 0; i < 2; i++) {
        const again = openDb(first.file);
        expect(migrationRows(again.db)).toEqual(rowsBefore);
        expect(again.db.$client.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schemaBefore);
        const kept = again.store.get(conversation.id);
        expect(kept.title).toBe('Keep me');
        expect(kept.systemPrompt).toBe('Be brief.');
        expect(kept.messages.map((m) => m.content)).toEqual(['remember the lighthouse']);
        expect(again.store.list('lighthouse').map((c) => c.id)).toEqual([conversation.id]);
        again.db.$client.close();
      }
    });

    it('runs in WAL mode with foreign keys on, and the WAL setting persists in the file', () => {
      const { db, file } = openDb();
      expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
      const other = new Database(file, { readonly: true });
      others.push(other);
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    });
  });

  // POSIX modes only; the test process runs with the usual umask 022, under which plain
  // mkdir/SQLite would give 0755 and 0644.
  describe.skipIf(process.platform === 'win32')('file modes (owner only)', () => {
    const mode = (path: string) => statSync(path).mode & 0o777;

    it('Enclave.open creates the folder 0700 and the database, -wal and -shm 0600', async () => {
      const dataDir = join(tempDir(), 'nested', 'Enclave');
      const enclave = Enclave.open({ dataDir });
      try {
        enclave.conversations.create({ title: 'private' });
        const file = join(dataDir, DATABASE_FILE);
        expect(existsSync(`${file}-wal`) && existsSync(`${file}-shm`)).toBe(true);
        expect([mode(dataDir), mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o700, 0o600, 0o600, 0o600]);
      } finally {
        await enclave.dispose();
      }
    });

    it('tightens an older database and its sidecars to 0600, but leaves a loose existing folder as it is and warns', () => {
      const dataDir = tempDir();
      chmodSync(dataDir, 0o755);
      const file = join(dataDir, DATABASE_FILE);
      // An older version's files: created by SQLite under the umask, the -wal/-shm kept by an open connection.
      const older = new Database(file);
      others.push(older);
      older.pragma('journal_mode = WAL');
      older.exec('CREATE TABLE leftover (x)');
      expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o644, 0o644, 0o644]);

      openDb(file);
      expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
      expect(mode(dataDir)).toBe(0o755);
      const warnings = prepareDataDir(dataDir);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`The data folder ${dataDir} can be reached by other users (mode 0755)`);
      expect(warnings[0]).toContain(`chmod 700 "${dataDir}"`);
      expect(mode(dataDir)).toBe(0o755);
    });

    it('has nothing to say about a folder only its owner can reach, and refuses a file in its place', () => {
      const dataDir = tempDir();
      chmodSync(dataDir, 0o700);
      expect(prepareDataDir(dataDir)).toEqual([]);
      const created = join(dataDir, 'a', 'b');
      expect(prepareDataDir(created)).toEqual([]);
      expect(mode(created)).toBe(0o700);
      const notAFolder = join(dataDir, 'file');
      writeFileSync(notAFolder, '');
      expect(() => prepareDataDir(notAFolder)).toThrow(/EEXIST/);
      mkdirSync(join(dataDir, 'group'), { mode: 0o750 });
      expect(prepareDataDir(join(dataDir, 'group'))[0]).toContain('(mode 0750)');
    });
  });

  describe('search (ConversationStore.list with a query)', () => {
    function seed(store: ConversationStore) {
      const cooking = store.create({ title: 'Recipes for the weekend' });
      store.addMessage(cooking.id, 'user', 'How do I bake sourdough bread at home?', 'complete');
      store.addMessage(cooking.id, 'assistant', 'Start with an active starter and a long, cold proof.', 'complete');
      const travel = store.create({ title: 'Trip to Paris' });
      store.addMessage(travel.id, 'user', 'Where is the best café near the Louvre?', 'complete');
      const cats = store.create({ title: 'Cat names' });
      store.addMessage(cats.id, 'user', 'Suggest names for two orange kittens', 'complete');
      return { cooking, travel, cats };
    }

    const ids = (list: { id: string }[]) => list.map((c) => c.id).sort();

    it('without a query lists every conversation, newest first, without snippets', () => {
      const { store } = openDb();
      const { cooking, travel, cats } = seed(store);
      const list = store.list();
      expect(list.map((c) => c.id)).toEqual([cats.id, travel.id, cooking.id]);
      expect(list.every((c) => c.snippet === null)).toBe(true);
      expect(store.list('')).toHaveLength(3);
    });

    it('matches message content and marks the match in the snippet with [ ]', () => {
      const { store } = openDb();
      const { cooking } = seed(store);
      const hits = store.list('sourdough');
      expect(hits.map((c) => c.id)).toEqual([cooking.id]);
      expect(hits[0]!.title).toBe('Recipes for the weekend');
      expect(hits[0]!.snippet).toContain('[sourdough]');
      expect(store.list('SOURDOUGH').map((c) => c.id)).toEqual([cooking.id]);
    });

    it('matches titles (with no snippet when only the title matches)', () => {
      const { store } = openDb();
      const { travel, cats } = seed(store);
      const hits = store.list('paris');
      expect(hits.map((c) => c.id)).toEqual([travel.id]);
      expect(hits[0]!.snippet).toBeNull();
      expect(store.list('Cat').map((c) => c.id)).toEqual([cats.id]);
    });

    it('matches word prefixes', () => {
      const { store } = openDb();
      const { cooking, cats } = seed(store);
      expect(store.list('sourd').map((c) => c.id)).toEqual([cooking.id]);
      expect(store.list('kitt').map((c) => c.id)).toEqual([cats.id]);
      expect(store.list('kitt')[0]!.snippet).toContain('[kittens]');
      expect(store.list('ittens')).toEqual([]);
    });

    it('ignores diacritics both ways', () => {
      const { store } = openDb();
      const { travel } = seed(store);
      const noel = store.create({ title: 'Noel plans' });
      expect(store.list('cafe').map((c) => c.id)).toEqual([travel.id]);
      expect(store.list('cafe')[0]!.snippet).toContain('[café]');
      expect(store.list('CAFÉ').map((c) => c.id)).toEqual([travel.id]);
      expect(store.list('Noël').map((c) => c.id)).toEqual([noel.id]);
      const cyrillic = store.create({ title: 'Привет мир' });
      expect(store.list('привет').map((c) => c.id)).toEqual([cyrillic.id]);
    });

    it('ANDs multiple words', () => {
      const { store } = openDb();
      const { cooking, travel } = seed(store);
      expect(store.list('bake bread').map((c) => c.id)).toEqual([cooking.id]);
      expect(store.list('bread   bake').map((c) => c.id)).toEqual([cooking.id]);
      expect(store.list('bake louvre')).toEqual([]);
      expect(store.list('best café').map((c) => c.id)).toEqual([travel.id]);
      // Either word alone matches more than both together.
      const other = store.create({ title: 'Bread only' });
      expect(ids(store.list('bread'))).toEqual(ids([cooking, other]));
      expect(store.list('bread sourdough').map((c) => c.id)).toEqual([cooking.id]);
    });

    it('never throws on punctuation or FTS5 syntax in the query', () => {
      const { store } = openDb();
      const { cooking, travel } = seed(store);
      const queries = [
        '"',
        '""',
        '"sourdough',
        '*',
        'sour*',
        '* bread',
        'AND (',
        'bread AND (',
        'NEAR',
        'NEAR(bread bake, 2)',
        '-',
        '-bread',
        'bread -',
        'OR',
        'NOT',
        '^bread',
        'title:paris',
        '{title}: paris',
        ':',
        '(',
        ')',
        "'; DROP TABLE conversations; --",
        '\\',
        '\u0000',
        '🍞',
        '...',
        'a'.repeat(500),
        Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')
      ];
      for (const query of queries) expect(() => store.list(query), query).not.toThrow();
      // Operators are searched as plain words, not interpreted.
      expect(store.list('AND (').map((c) => c.id)).toEqual([cooking.id]);
      expect(store.list('NEAR').map((c) => c.id)).toEqual([travel.id]);
      expect(store.list('"sourdough').map((c) => c.id)).toEqual([cooking.id]);
      expect(store.list('-bread').map((c) => c.id)).toEqual([cooking.id]);
      expect(store.list('title:paris').map((c) => c.id)).toEqual([]);
      expect(store.list('paris!!!').map((c) => c.id)).toEqual([travel.id]);
      for (const onlyPunctuation of ['"', '*', '-', '()', '...', '🍞']) expect(store.list(onlyPunctuation)).toEqual([]);
      // The table survived the injection attempt.
      expect(store.list()).toHaveLength(3);
    });

    it('reflects deleted conversations, renamed titles and rewritten messages', () => {
      const { db, store } = openDb();
      const { cooking, travel, cats } = seed(store);

      store.delete(cooking.id);
      expect(store.list('sourdough')).toEqual([]);
      expect(store.list('recipes')).toEqual([]);

      store.rename(travel.id, 'Lyon weekend');
      expect(store.list('paris')).toEqual([]);
      expect(store.list('lyon').map((c) => c.id)).toEqual([travel.id]);
      expect(store.list('lyon')[0]!.title).toBe('Lyon weekend');

      const reply = store.addMessage(cats.id, 'assistant', '', 'streaming');
      store.updateMessage(reply.id, { content: 'Try Marmalade and Tangerine' });
      expect(store.list('marmalade').map((c) => c.id)).toEqual([cats.id]);
      store.finishReply(reply.id, { content: 'Try Pumpkin and Clementine', status: 'complete', error: null }, metrics);
      expect(store.list('marmalade')).toEqual([]);
      expect(store.list('clementine').map((c) => c.id)).toEqual([cats.id]);

      const fresh = store.create();
      expect(store.setTitleIfDefault(fresh.id, 'Quantum entanglement')).toBe(true);
      expect(store.list('quantum').map((c) => c.id)).toEqual([fresh.id]);
      expect(store.list('new chat').map((c) => c.id)).not.toContain(fresh.id);

      store.truncateFrom(reply.id);
      expect(store.list('clementine')).toEqual([]);
      ftsIntegrity(db);
    });

    it('orders hits by latest activity and marks the match in each snippet', async () => {
      // updatedAt has millisecond resolution: let the clock move between the writes that must order.
      const tick = () => new Promise((resolveTick) => setTimeout(resolveTick, 5));
      const { store } = openDb();
      const older = store.create({ title: 'Older' });
      store.addMessage(older.id, 'user', 'pineapple pizza', 'complete');
      await tick();
      const newer = store.create({ title: 'Newer' });
      store.addMessage(newer.id, 'user', 'is pineapple a berry', 'complete');
      expect(store.list('pineapple').map((c) => c.id)).toEqual([newer.id, older.id]);
      await tick();
      store.addMessage(older.id, 'user', 'more pineapple', 'complete');
      expect(store.list('pineapple').map((c) => c.id)).toEqual([older.id, newer.id]);
      for (const hit of store.list('pineapple')) expect(hit.snippet).toContain('[pineapple]');
    });
  });

  describe('damaged and locked files', () => {
    function expectUntouched(dir: string, file: string, bytes: Buffer): void {
      expect(readFileSync(file).equals(bytes)).toBe(true);
      // No -wal, -shm or -journal was left next to it either.
      expect(readdirSync(dir)).toEqual([DATABASE_FILE]);
    }

    it('random bytes → DatabaseCorruptError, file bytes unchanged', () => {
      const dir = tempDir();
      const file = join(dir, DATABASE_FILE);
      const bytes = noise(64 * 1024, 'random file');
      writeFileSync(file, bytes);
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = (() => {
          try {
            openDatabase({ file });
          } catch (e) {
            return e;
          }
        })() as DatabaseCorruptError;
        expect(error).toBeInstanceOf(DatabaseCorruptError);
        expect(error.code).toBe('DATABASE_CORRUPT');
        expect(error.file).toBe(file);
        expect(error.message).toContain('Nothing was changed');
        expectUntouched(dir, file, bytes);
      }
    });

    it('a text file → DatabaseCorruptError through Enclave.open too, file bytes unchanged', () => {
      const dir = tempDir();
      const file = join(dir, DATABASE_FILE);
      const bytes = Buffer.from('These are my notes, not a database.\n'.repeat(40));
      writeFileSync(file, bytes);
      expect(() => openDatabase({ file })).toThrow(DatabaseCorruptError);
      expect(() => Enclave.open({ dataDir: dir })).toThrow(DatabaseCorruptError);
      expectUntouched(dir, file, bytes);
    });

    it('a real SQLite file with damaged pages → DatabaseCorruptError, never reset', () => {
      const dir = tempDir();
      const file = join(dir, DATABASE_FILE);
      const { store, db } = openDb(file);
      const conversation = store.create({ title: 'Precious' });
      for (let i = 0; i < 50; i++) store.addMessage(conversation.id, 'user', `message ${i} `.repeat(50), 'complete');
      db.$client.pragma('wal_checkpoint(TRUNCATE)');
      db.$client.pragma('journal_mode = DELETE');
      db.$client.close();
      const original = readFileSync(file);
      // Keep the 100-byte header (a valid SQLite file) but scribble over the schema page and beyond.
      const damaged = Buffer.concat([original.subarray(0, 100), noise(original.length - 100, 'damaged pages')]);
      writeFileSync(file, damaged);
      expect(() => openDatabase({ file })).toThrow(DatabaseCorruptError);
      expectUntouched(dir, file, damaged);
    });

    it('a database locked by another connection → DatabaseLockedError quickly; the other connection keeps its data', () => {
      const dir = tempDir();
      const file = join(dir, DATABASE_FILE);
      const other = new Database(file);
      others.push(other);
      expect(other.pragma('journal_mode', { simple: true })).toBe('delete');
      other.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('committed')");
      other.exec('BEGIN EXCLUSIVE');
      other.exec("INSERT INTO notes VALUES ('in flight')");

      const started = performance.now();
      let error: unknown;
      try {
        openDatabase({ file, busyTimeoutMs: 100 });
      } catch (e) {
        error = e;
      }
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(DatabaseLockedError);
      expect((error as DatabaseLockedError).code).toBe('DATABASE_LOCKED');
      expect((error as DatabaseLockedError).message).toContain('locked by another process');
      expect(elapsed).toBeLessThan(2000);

      other.exec('COMMIT');
      expect(other.prepare('SELECT text FROM notes ORDER BY rowid').all()).toEqual([{ text: 'committed' }, { text: 'in flight' }]);
      expect(other.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(names({ $client: other } as EnclaveDb, 'table')).toEqual(['notes']);
      other.close();

      // Once the lock is gone the same file opens and migrates normally, keeping the other data.
      const { db } = openDb(file);
      expect(db.$client.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 2 });
      expect(migrationRows(db)).toHaveLength(journal.entries.length);
    });
  });

  describe('replies and deletes', () => {
    it('recoverInterrupted() marks streaming replies stopped and keeps their text', () => {
      const { store } = openDb();
      const a = store.create();
      const b = store.create();
      store.addMessage(a.id, 'user', 'question', 'complete');
      const interrupted = store.addMessage(a.id, 'assistant', '', 'streaming');
      store.updateMessage(interrupted.id, { content: 'half an ans' });
      const alsoInterrupted = store.addMessage(b.id, 'assistant', 'other partial', 'streaming');
      const done = store.addMessage(b.id, 'assistant', 'finished reply', 'complete');
      const failed = store.addMessage(b.id, 'assistant', '', 'error');

      expect(store.recoverInterrupted()).toBe(2);
      expect(store.getMessage(interrupted.id)).toMatchObject({ status: 'stopped', content: 'half an ans' });
      expect(store.getMessage(alsoInterrupted.id)).toMatchObject({ status: 'stopped', content: 'other partial' });
      expect(store.getMessage(done.id)).toMatchObject({ status: 'complete', content: 'finished reply' });
      expect(store.getMessage(failed.id).status).toBe('error');
      expect(store.recoverInterrupted()).toBe(0);
    });

    it('deleting a conversation cascades to its messages, metrics and search index', () => {
      const { db, store } = openDb();
      const doomed = store.create({ title: 'Doomed' });
      const kept = store.create({ title: 'Kept' });
      for (const conversation of [doomed, kept]) {
        store.addMessage(conversation.id, 'user', 'walrus question', 'complete');
        const reply = store.addMessage(conversation.id, 'assistant', '', 'streaming');
        const finished = store.finishReply(reply.id, { content: 'walrus answer', status: 'complete', error: null }, metrics);
        expect(finished.metrics).toEqual(metrics);
      }
      const count = (table: string) => (db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect([count('messages'), count('reply_metrics')]).toEqual([4, 2]);

      store.delete(doomed.id);
      expect([count('messages'), count('reply_metrics')]).toEqual([2, 1]);
      expect(db.$client.prepare('SELECT count(*) AS n FROM messages WHERE conversation_id = ?').get(doomed.id)).toEqual({ n: 0 });
      expect(() => store.get(doomed.id)).toThrow(ConversationNotFoundError);
      expect(() => store.delete(doomed.id)).toThrow(ConversationNotFoundError);
      expect(store.list('walrus').map((c) => c.id)).toEqual([kept.id]);
      expect(store.get(kept.id).messages.map((m) => m.metrics?.completionTokens ?? null)).toEqual([null, 5]);
      ftsIntegrity(db);
    });
  });
});
