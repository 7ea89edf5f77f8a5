// Answers with citations, end to end in the core: a real Enclave ingests a document, a conversation attaches
// its collection, and a fake OpenAI-wire provider on 127.0.0.1 answers with a citation. What the provider
// received is what left the machine: only the retrieved excerpts, redacted, and the ledger holds the same.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Enclave } from '../../src-main/core/Enclave';
import { NOTHING_RELEVANT_REPLY } from '../../src-main/core/documents/groundingPrompt';
import { MIN_RELEVANCE } from '../../src-main/core/documents/retrieval/DocumentSearch';
import { startFakeProvider, type FakeProvider, type RecordedRequest } from '../support/fakeProviders';
import { useTempDir } from '../support/tempDir';

const TRAVEL = 'Travel costs rose by 4 percent in March because Jane Doe booked the Lisbon conference flights late.';
const CAFETERIA = 'The cafeteria now serves lentil soup on Thursdays and closes at three in the afternoon.';

/** Paragraphs long enough that each section becomes chunks of its own. */
const report = [
  '# Quarterly report',
  '## Travel',
  `${TRAVEL} ${'Flights and hotels were the largest items of the quarter. '.repeat(6)}`,
  '## Cafeteria',
  `${CAFETERIA} ${'Lunch menus rotate every week and are posted on the wall. '.repeat(6)}`
].join('\n\n');

const lastSystemText = (request: RecordedRequest): string =>
  (request.body.messages as { role: string; content: string }[])
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n');

describe('DocumentQa through ChatService', () => {
  const tempDir = useTempDir('enclave-qa-');
  let enclave: Enclave;
  let fake: FakeProvider;
  let conversationId: string;

  beforeAll(async () => {
    fake = await startFakeProvider({ wire: 'openai', reply: () => 'Travel costs rose by 4 percent [1].' });
    const dir = tempDir();
    enclave = Enclave.open({ dataDir: join(dir, 'data'), documents: { chunking: { maxChars: 400, overlapChars: 40 } } });
    await enclave.cloud.addProvider({ name: 'fake', kind: 'openai-compatible', baseUrl: fake.baseUrl });
    const file = join(dir, 'report.md');
    writeFileSync(file, report);
    const [result] = await enclave.documents.ingestFiles({ paths: [file] });
    const [document] = await enclave.documents.waitUntilSettled([result!.document!.id]);
    expect(document!.status).toBe('ready');
    conversationId = enclave.chat.createConversation().id;
    enclave.chat.updateSettings(conversationId, { model: 'fake/gpt-fake-1' });
    enclave.documents.attachSources(conversationId, { collectionIds: [document!.collectionId] });
  });

  afterAll(async () => {
    await enclave?.dispose();
    await fake?.close();
  });

  it('answers from the retrieved excerpts only, redacted, and stores the cited source with the reply', async () => {
    const reply = await enclave.chat.send(conversationId, 'Why did the travel costs rise in March?').finished;
    expect(reply?.status).toBe('complete');
    expect(reply?.content).toBe('Travel costs rose by 4 percent [1].');
    const cited = reply!.sources.filter((source) => source.cited);
    expect(cited.map((source) => source.n)).toEqual([1]);
    expect(cited[0]).toMatchObject({ documentName: 'report.md', headingPath: ['Quarterly report', 'Travel'] });
    expect(cited[0]!.excerpt).toContain('Travel costs rose by 4 percent');

    // What left: the excerpt about travel (with the name replaced), not the cafeteria section, not the file.
    const [request] = fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
    const system = lastSystemText(request!);
    expect(system).toContain('[1] report.md, Quarterly report › Travel');
    expect(system).toContain('Travel costs rose by 4 percent in March because');
    expect(system).not.toContain('Jane Doe');
    expect(system).toMatch(/\[PERSON_\d+\] booked the/);
    expect(request!.rawBody).not.toContain('lentil soup');

    // The ledger records exactly that payload.
    const { records } = enclave.egressLedger.list({ conversationId });
    expect(records).toHaveLength(1);
    expect(records[0]!.payload).toContain('Travel costs rose by 4 percent');
    expect(records[0]!.payload).not.toContain('Jane Doe');
    expect(records[0]!.payload).not.toContain('lentil soup');

    // Sources come back with the conversation.
    const saved = enclave.conversations.get(conversationId).messages.at(-1)!;
    expect(saved.sources).toEqual(reply!.sources);
  });

  it('says nothing relevant was found, without asking a model, when no excerpt matches', async () => {
    const before = fake.requests.length;
    const reply = await enclave.chat.send(conversationId, 'What is the boiling point of mercury?').finished;
    expect(reply).toMatchObject({ status: 'complete', content: NOTHING_RELEVANT_REPLY, sources: [], metrics: null });
    expect(fake.requests.length).toBe(before);
  });

  it("grounds a weaker match at retrieval's measured threshold (MIN_RELEVANCE), not a stricter placeholder", async () => {
    // Covers "Lisbon" and "hotel" of four content words: about a third, IDF-weighted.
    const question = 'Which Lisbon hotel has a rooftop pool?';
    const { results } = await enclave.documentSearch.search({ query: question, k: 1 });
    expect(results[0]!.relevance).toBeGreaterThanOrEqual(MIN_RELEVANCE);
    expect(results[0]!.relevance).toBeLessThan(0.34);
    const before = fake.requests.length;
    const reply = await enclave.chat.send(conversationId, question).finished;
    expect(reply?.content).not.toBe(NOTHING_RELEVANT_REPLY);
    expect(reply!.sources.map((source) => source.n)).toEqual([1]);
    expect(fake.requests.length).toBe(before + 1);
  });

  it('previews exactly the grounded request', async () => {
    const preview = await enclave.chat.preview(conversationId, 'Why did the travel costs rise in March?');
    expect(preview.target).toBe('fake/gpt-fake-1');
    const system = preview.messages.filter((message) => message.role === 'system').map((message) => message.text);
    expect(system.join('\n')).toContain('Travel costs rose by 4 percent');
    expect(system.join('\n')).not.toContain('lentil soup');
  });
});
