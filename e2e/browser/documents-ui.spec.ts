import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { DocumentIndexer } from '../../src-main/core/documents/DocumentIngestion';
import { startFakeProvider, type FakeProvider } from '../../test/support/fakeProviders';
import { expect, lastAssistant, saveScreenshot, send, test } from './fixtures';

// The Documents UI end to end: files dropped on the window (a real DataTransfer in the page) go through the
// real core; a bad file gets its own error while the rest of the batch goes on; dropping on a chat attaches;
// an answer through a fake OpenAI-wire provider on 127.0.0.1 cites [1] and the citation opens the viewer at
// the page; summarize (with progress and Cancel), extract and compare; the embedding model and folder picks.

const TRAVEL = 'Travel costs rose by four percent in March because Jane Doe booked the conference flights late.';
const INTRO = 'This introduction describes the cafeteria menu, which changes every week.';

async function twoPagePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of [INTRO, TRAVEL]) {
    const page = pdf.addPage([612, 792]);
    const words = text.split(' ');
    page.drawText(words.slice(0, 8).join(' '), { x: 72, y: 700, size: 12, font });
    page.drawText(words.slice(8).join(' '), { x: 72, y: 684, size: 12, font });
  }
  return pdf.save();
}

interface DropFile {
  name: string;
  bytes: number[];
}

/** A DataTransfer built in the page holding these files, as a file manager's drag carries them. */
const dataTransferOf = (page: Page, files: DropFile[]) =>
  page.evaluateHandle((files) => {
    const dataTransfer = new DataTransfer();
    for (const { name, bytes } of files) dataTransfer.items.add(new File([new Uint8Array(bytes)], name));
    return dataTransfer;
  }, files);

/** Drags files over `target` (the overlay shows; `whileOver` runs then) and drops them there. */
async function dropFiles(target: Locator, files: DropFile[], whileOver?: () => Promise<void>): Promise<void> {
  const dataTransfer = await dataTransferOf(target.page(), files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await whileOver?.();
  await target.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

/**
 * Holds documents in 'embedding' at half way until released, so the progress bar can be seen; it stands in
 * for the embedding model's indexer (none is set in these tests), at the library's own DocumentIndexer seam.
 */
function heldIndexer(): { indexer: DocumentIndexer; release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    indexer: {
      async indexDocument(_documentId, { onProgress }) {
        onProgress(0.5);
        await released;
      }
    },
    release
  };
}

let fake: FakeProvider | null = null;
let scratch: string | null = null;
test.afterEach(async () => {
  await fake?.close();
  fake = null;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = null;
});

test('dropped files: per-file errors, progress to ready, dropped on a chat they attach, and the answer cites the page', async ({
  app,
  harness
}) => {
  fake = await startFakeProvider({ wire: 'openai', reply: () => 'Travel costs rose by four percent [1].' });
  await harness.enclave.cloud.addProvider({ name: 'fake', kind: 'openai-compatible', baseUrl: fake.baseUrl });
  const hold = heldIndexer();
  harness.enclave.documents.setIndexer(hold.indexer);
  const pdf = Array.from(await twoPagePdf());

  // The view, by its shortcut: an empty collection says where to drop.
  await app.keyboard.press('Control+d');
  const view = app.getByTestId('documents-view');
  await expect(view).toBeVisible();
  await expect(app.getByTestId('open-documents')).toHaveAttribute('aria-pressed', 'true');
  await expect(view.getByTestId('documents-empty')).toContainText('Drop files here');
  await saveScreenshot(app, 'documents-ui-01-empty');

  await view.getByTestId('new-collection-toggle').click();
  await view.getByTestId('new-collection-name').fill('Reports');
  await view.getByTestId('new-collection-create').click();
  await expect(view.getByTestId('collection-select')).toHaveValue('Reports');

  // One batch: a PDF, an empty file and binary junk. The two bad ones say why; the PDF goes on.
  await dropFiles(
    view,
    [
      { name: 'report.pdf', bytes: pdf },
      { name: 'empty.txt', bytes: [] },
      { name: 'junk.txt', bytes: [0, 1, 2, 3, 255, 0, 7, 0, 0, 9] }
    ],
    async () => {
      await expect(app.getByTestId('document-drop-zone')).toHaveAttribute('data-target', 'collection');
      await expect(app.getByTestId('document-drop-zone')).toContainText('add them to Reports');
      await saveScreenshot(app, 'documents-ui-02-drop-zone');
    }
  );
  await expect(app.getByTestId('document-drop-zone')).toHaveCount(0);
  const refused = view.getByTestId('ingest-refused');
  await expect(refused).toHaveCount(2);
  await expect(refused.nth(0)).toHaveText('empty.txt is empty (0 bytes).');
  await expect(refused.nth(1)).toContainText('junk.txt');
  await expect(refused.nth(1)).toContainText('binary data');
  await expect(view.getByTestId('ingest-summary')).toHaveText('1 file added to Reports · 2 files refused');

  const row = view.getByTestId('document-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', 'embedding');
  await expect(row.getByTestId('document-status')).toHaveText('Embedding');
  await expect(row.getByTestId('document-progress')).toHaveAttribute('value', '0.5');
  await expect(row).toContainText('PDF · 2 pages');
  await saveScreenshot(app, 'documents-ui-03-progress-and-errors');
  hold.release();
  await expect(row).toHaveAttribute('data-status', 'ready');
  await expect(row.getByTestId('document-progress')).toHaveCount(0);
  await expect(row.getByTestId('document-status')).toHaveText('Ready');
  await saveScreenshot(app, 'documents-ui-04-ready');

  // A new chat; the same PDF dropped on it is already in Reports, and is attached to this chat.
  await view.getByTestId('documents-close').click();
  await expect(view).toHaveCount(0);
  await app.getByTestId('new-chat').click();
  await expect(app.getByTestId('conversation-item')).not.toHaveCount(0);
  const conversationId = harness.enclave.conversations.list()[0]!.id;
  harness.enclave.chat.updateSettings(conversationId, { model: 'fake/gpt-fake-1' });
  const chatPane = app.locator('[data-drop-target="conversation"]');
  await dropFiles(chatPane, [{ name: 'report.pdf', bytes: pdf }], async () => {
    await expect(app.getByTestId('document-drop-zone')).toHaveAttribute('data-target', 'conversation');
    await saveScreenshot(app, 'documents-ui-05-drop-on-chat');
  });
  const chip = app.getByTestId('source-chip');
  await expect(chip).toHaveCount(1);
  await expect(chip).toHaveAttribute('data-kind', 'document');
  await expect(chip).toContainText('report.pdf');
  await expect(app.getByTestId('ingest-summary')).toHaveText('0 files added to Reports · 1 file already there');
  expect(harness.enclave.documents.listSources(conversationId)).toEqual([{ kind: 'document', id: expect.any(String), name: 'report.pdf' }]);

  await send(app, 'Why did travel costs rise in March?');
  const answer = lastAssistant(app);
  await expect(answer).toHaveAttribute('data-status', 'complete');
  const citation = answer.locator('button.citation[data-citation="1"]');
  await expect(citation).toHaveAttribute('title', 'report.pdf, page 2');
  await saveScreenshot(app, 'documents-ui-06-answer');
  await citation.click();
  const viewer = app.getByTestId('document-viewer');
  await expect(viewer.getByTestId('viewer-page')).toHaveText('Page 2 of 2');
  await expect(viewer.getByTestId('pdf-highlight').first()).toBeVisible();
  expect((await viewer.getByTestId('pdf-highlight').allTextContents()).join(' ')).toContain('Travel costs rose by four percent');
  await saveScreenshot(app, 'documents-ui-07-viewer');
  await app.keyboard.press('Escape');
  await expect(viewer).toHaveCount(0);

  // The header's menu attaches the whole collection; the document's chip detaches it.
  await app.getByTestId('attach-sources').click();
  const menu = app.getByTestId('attach-menu');
  await menu.getByTestId('attach-collection').filter({ hasText: 'Reports' }).getByRole('checkbox').check();
  await expect(chip).toHaveCount(2);
  await saveScreenshot(app, 'documents-ui-08-attach-menu');
  await app.locator('[data-testid="source-chip"][data-kind="document"]').getByTestId('source-chip-detach').click();
  await expect(chip).toHaveCount(1);
  await expect(chip).toHaveAttribute('data-kind', 'collection');
  expect(harness.enclave.documents.listSources(conversationId).map((source) => source.kind)).toEqual(['collection']);
});

test('document tools: summarize with progress and Cancel, then to the end; extract checks the schema; compare', async ({
  app,
  harness,
  modelPath
}) => {
  fake = await startFakeProvider({
    wire: 'openai',
    reply: (request) =>
      request.rawBody.includes('Compare the two documents') ? 'Both are about costs; **only one** mentions flights.' : 'Costs rose.'
  });
  await harness.enclave.cloud.addProvider({ name: 'fake', kind: 'openai-compatible', baseUrl: fake.baseUrl });
  harness.enclave.router.updateSettings({ defaultModel: 'fake/gpt-fake-1' });
  scratch = mkdtempSync(join(tmpdir(), 'enclave-docs-ui-'));
  // Longer than one call takes (about 96,000 characters for a cloud model): summarized in parts.
  const paragraphs = Array.from({ length: 700 }, (_, i) => `Section ${i}. ${TRAVEL} ${INTRO} Item ${i} of the ledger is filed.`);
  writeFileSync(join(scratch, 'long.md'), `# Long report\n\n${paragraphs.join('\n\n')}`);
  writeFileSync(join(scratch, 'memo.md'), `# Memo\n\n${TRAVEL}`);
  const ingested = await harness.enclave.documents.ingestFiles({ paths: [join(scratch, 'long.md'), join(scratch, 'memo.md')] });
  await harness.enclave.documents.waitUntilSettled(ingested.map((result) => result.document!.id));

  await app.getByTestId('open-documents').click();
  const view = app.getByTestId('documents-view');
  await expect(view.getByTestId('document-row')).toHaveCount(2);
  const longRow = view.locator('[data-testid="document-row"]', { hasText: 'long.md' });
  await longRow.getByTestId('document-tools').click();
  const panel = view.getByTestId('document-tools-panel');
  await expect(panel).toContainText('long.md');

  // The provider stalls inside the first part: the bar shows where the task is, Cancel stops it.
  fake.fault({ kind: 'stall', afterChunks: 1, delayMs: 600_000 });
  await panel.getByTestId('tool-run').click();
  await expect(panel.getByTestId('tool-stage')).toContainText('Reading the document in parts: call 1 of about');
  await expect(panel.getByTestId('tool-progress')).toHaveAttribute('value', '0');
  await saveScreenshot(app, 'documents-ui-09-summarize-progress');
  await panel.getByTestId('tool-cancel').click();
  await expect(panel.getByTestId('tool-cancelled')).toBeVisible();
  await expect(panel.getByTestId('tool-progress')).toHaveCount(0);

  fake.fault(null);
  await panel.getByTestId('tool-run').click();
  const result = panel.getByTestId('tool-result');
  await expect(result).toHaveAttribute('data-tool', 'summarize');
  await expect(result).toContainText('Costs rose.');
  await expect(result).toContainText(/gpt-fake-1 · \d+ calls in \d passes/);
  await saveScreenshot(app, 'documents-ui-10-summary');

  // Compare with the memo.
  await panel.getByTestId('tool-compare').click();
  await panel.getByTestId('tool-compare-with').selectOption({ label: 'memo.md (Default)' });
  await panel.getByTestId('tool-run').click();
  await expect(result).toHaveAttribute('data-tool', 'compare');
  await expect(result.locator('strong')).toHaveText('only one');
  await saveScreenshot(app, 'documents-ui-11-compare');

  // Extraction: the schema is checked as JSON before anything is sent; the local model fills it.
  await harness.enclave.engine.loadModel({ path: modelPath });
  await expect(app.getByTestId('engine-status')).toContainText(/GPU layers \d+\/\d+/);
  const requestsBefore = fake.requests.length;
  await panel.getByTestId('tool-extract').click();
  await panel.getByTestId('tool-schema').fill('{"type": "object", "properties": ');
  await panel.getByTestId('tool-run').click();
  await expect(panel.getByTestId('tool-schema-error')).toContainText('not valid JSON');
  await panel.getByTestId('tool-schema').fill('["not", "an object"]');
  await panel.getByTestId('tool-run').click();
  await expect(panel.getByTestId('tool-schema-error')).toContainText('must be a JSON object');
  await panel
    .getByTestId('tool-schema')
    .fill(JSON.stringify({ type: 'object', properties: { isReport: { type: 'boolean' } }, required: ['isReport'] }));
  await panel.getByTestId('tool-run').click();
  await expect(result).toHaveAttribute('data-tool', 'extract');
  const json = JSON.parse((await panel.getByTestId('tool-result-json').textContent())!);
  expect(Object.keys(json)).toEqual(['isReport']);
  expect(typeof json.isReport).toBe('boolean');
  await expect(panel.getByTestId('tool-result-json')).toHaveText(JSON.stringify(json, null, 2));
  await saveScreenshot(app, 'documents-ui-12-extract');
  expect(fake.requests.length).toBe(requestsBefore);
});

test('the embedding model embeds existing documents; files by the picker and a folder are added', async ({ app, harness, modelPath }) => {
  scratch = mkdtempSync(join(tmpdir(), 'enclave-docs-ui-'));
  writeFileSync(join(scratch, 'picked.md'), `# Picked\n\n${TRAVEL}`);
  const folder = join(scratch, 'folder');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  writeFileSync(join(folder, 'a.md'), '# A\n\nThe first note of the folder.');
  writeFileSync(join(folder, 'sub', 'b.txt'), 'The second note, in a subfolder.');
  writeFileSync(join(folder, 'picture.png'), 'not a document');

  await app.keyboard.press('Control+d');
  const view = app.getByTestId('documents-view');
  // The native picker (answered by the harness) gives paths: the core copies the files from there.
  harness.chooseDocumentFilesAnswer = [join(scratch, 'picked.md')];
  await view.getByTestId('documents-add-files').click();
  await expect(view.locator('[data-testid="document-row"][data-status="ready"]')).toHaveCount(1);
  // A picked folder: its documents only, subfolders included.
  await view.getByTestId('documents-add-folder').setInputFiles(folder);
  await expect(view.getByTestId('ingest-summary')).toHaveText('2 files added to Default');
  await expect(view.locator('[data-testid="document-row"][data-status="ready"]')).toHaveCount(3);
  for (const name of ['picked.md', 'a.md', 'b.txt'])
    await expect(view.locator('[data-testid="document-row"]', { hasText: name })).toHaveCount(1);

  const settings = view.getByTestId('embedding-settings');
  await expect(settings.getByTestId('embedding-status')).toContainText('Keyword search only');
  harness.chooseModelFileAnswer = modelPath;
  await settings.getByTestId('embedding-choose-file').click();
  await expect(settings.getByTestId('embedding-status')).toContainText(
    /Hybrid search with .*\.gguf \(\d+ dimensions\): (\d+) of \1 passages embedded\./
  );
  await expect(settings.getByTestId('embedding-progress')).toHaveCount(0);
  await expect(settings.getByTestId('embedding-model-select')).toHaveValue(modelPath);
  await saveScreenshot(app, 'documents-ui-13-embedding');
  const status = harness.enclave.documentSearch.embeddingStatus();
  expect(status).toMatchObject({ modelPath, embedding: false });
  expect(status.embeddedChunks).toBe(status.totalChunks);
  expect(status.totalChunks).toBeGreaterThanOrEqual(3);

  // Off again: keyword search only.
  await settings.getByTestId('embedding-model-select').selectOption('');
  await expect(settings.getByTestId('embedding-status')).toContainText('Keyword search only');
  expect(harness.enclave.documentSearch.embeddingStatus().modelPath).toBeNull();
});
