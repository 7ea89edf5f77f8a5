import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { startFakeProvider, type FakeProvider } from '../../test/support/fakeProviders';
import { expect, lastAssistant, saveScreenshot, send, test } from './fixtures';

// Answers with citations in the app: a two-page PDF is ingested by the real core, a conversation answers from
// it through a fake OpenAI-wire provider on 127.0.0.1 (so the reply, with its "[1]", is deterministic), and the
// citation opens the in-app viewer (pdf.js, its worker bundled from the app's origin) at the cited page.

const TRAVEL = 'Travel costs rose by four percent in March because Jane Doe booked the conference flights late.';
const INTRO = 'This introduction describes the cafeteria menu, which changes every week.';

async function twoPagePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of [INTRO, TRAVEL]) {
    const page = pdf.addPage([612, 792]);
    const words = text.split(' ');
    // Two lines, so the highlight spans more than one text item.
    page.drawText(words.slice(0, 8).join(' '), { x: 72, y: 700, size: 12, font });
    page.drawText(words.slice(8).join(' '), { x: 72, y: 684, size: 12, font });
  }
  return pdf.save();
}

let fake: FakeProvider | null = null;
let scratch: string | null = null;
test.afterEach(async () => {
  await fake?.close();
  fake = null;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = null;
});

test('a question about an attached PDF is answered with a citation that opens the cited page, highlighted', async ({ app, harness }) => {
  fake = await startFakeProvider({ wire: 'openai', reply: () => 'Travel costs rose by four percent [1].' });
  await harness.enclave.cloud.addProvider({ name: 'fake', kind: 'openai-compatible', baseUrl: fake.baseUrl });
  scratch = mkdtempSync(join(tmpdir(), 'enclave-docs-'));
  const file = join(scratch, 'report.pdf');
  writeFileSync(file, await twoPagePdf());
  const [ingested] = await harness.enclave.documents.ingestFiles({ paths: [file] });
  const [document] = await harness.enclave.documents.waitUntilSettled([ingested!.document!.id]);
  expect(document).toMatchObject({ status: 'ready', pages: 2 });

  await app.getByTestId('new-chat').click();
  await expect(app.getByTestId('conversation-item')).not.toHaveCount(0);
  const conversationId = harness.enclave.conversations.list()[0]!.id;
  harness.enclave.chat.updateSettings(conversationId, { model: 'fake/gpt-fake-1' });
  harness.enclave.documents.attachSources(conversationId, { collectionIds: [document!.collectionId] });

  await send(app, 'Why did travel costs rise in March?');
  const answer = lastAssistant(app);
  await expect(answer).toHaveAttribute('data-status', 'complete');
  const citation = answer.locator('button.citation[data-citation="1"]');
  await expect(citation).toHaveText('[1]');
  await expect(citation).toHaveAttribute('title', 'report.pdf, page 2');
  await expect(answer.getByTestId('source-item')).toHaveCount(1);
  await expect(answer.getByTestId('source-item')).toContainText('report.pdf, page 2');
  await saveScreenshot(app, 'documents-01-answer-with-citation');

  // Only the excerpt left, redacted: the ledger holds the request as sent.
  const { records } = harness.enclave.egressLedger.list({ conversationId });
  expect(records).toHaveLength(1);
  expect(records[0]!.payload).toContain('Travel costs rose by four percent');
  expect(records[0]!.payload).not.toContain('Jane Doe');
  expect(records[0]!.payload).not.toContain('cafeteria');

  await citation.click();
  const viewer = app.getByTestId('document-viewer');
  await expect(viewer).toBeVisible();
  await expect(viewer.getByTestId('viewer-page')).toHaveText('Page 2 of 2');
  await expect(viewer.getByTestId('pdf-page')).toHaveAttribute('data-page', '2');
  const highlights = viewer.getByTestId('pdf-highlight');
  await expect(highlights.first()).toBeVisible();
  const highlighted = (await highlights.allTextContents()).join(' ');
  expect(highlighted).toContain('Travel costs rose by four percent');
  expect(highlighted).toContain('conference flights late.');
  await saveScreenshot(app, 'documents-02-viewer-at-cited-page');

  // Another page shows without the highlight; Esc closes the viewer.
  await viewer.getByRole('button', { name: 'Previous page' }).click();
  await expect(viewer.getByTestId('pdf-page')).toHaveAttribute('data-page', '1');
  await expect(viewer.getByTestId('pdf-highlight')).toHaveCount(0);
  await app.keyboard.press('Escape');
  await expect(viewer).toHaveCount(0);
});
