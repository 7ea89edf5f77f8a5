import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { ensureTestModel } from '../../test/support/writeTestModel';
import { ModelFileServer } from '../../test/support/ModelFileServer';
import { expect, lastAssistant, saveScreenshot, send, setMaxTokens, test } from './fixtures';

const TEST_ENTRY_ID = 'enclave-test-chat-q8';

/**
 * A catalogue in the bundled format whose entries point at the loopback server, put in the data folder
 * before Enclave opens it (as a refreshed catalogue is kept): the real download path, without the internet.
 */
function loopbackCatalogue(server: ModelFileServer) {
  const entry = {
    sizeBytes: server.bytes.length,
    sha256: server.sha256,
    license: 'MIT',
    parameters: '0.2M',
    contextLength: 2048,
    quantization: 'F32',
    // The generated model: 2 layers, 2 KV heads of 16 dims, f16 cache: 2 × 2 × 2 × 16 × 2 bytes a token.
    layers: 2,
    kvBytesPerToken: 256
  };
  return {
    updatedAt: '2026-12-01',
    entries: [
      {
        ...entry,
        id: TEST_ENTRY_ID,
        name: 'Enclave Test Chat',
        role: 'chat',
        sizeClass: 'small',
        description: 'The generated test model, served from this machine.',
        uri: server.url('enclave-test-chat.gguf')
      },
      {
        ...entry,
        id: 'enclave-test-embed',
        name: 'Enclave Test Embeddings',
        role: 'embedding',
        sizeClass: null,
        description: 'The same file, listed as an embedding model.',
        uri: server.url('enclave-test-embed.gguf')
      }
    ]
  };
}

const served = test.extend<{ modelServer: ModelFileServer }>({
  modelServer: async ({}, use) => {
    const server = await ModelFileServer.start(await ensureTestModel());
    await use(server);
    await server.close();
  },
  dataDirFiles: async ({ modelServer }, use) => use({ 'model-catalogue.json': JSON.stringify(loopbackCatalogue(modelServer)) })
});

async function openModels(page: Page): Promise<void> {
  await page.keyboard.press('Control+m');
  await expect(page.getByTestId('models-view')).toBeVisible();
  // Focus moves to the screen, so the keyboard carries on from its top.
  await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeFocused();
}

/** Drops a file on the window the way a user drags one from the file manager; `path` is what Electron would report. */
async function dropFile(page: Page, path: string, name: string): Promise<void> {
  await page.evaluate(
    ([path, name]) => {
      const file = new File(['not really the bytes'], name);
      window.__enclaveFilePaths.set(file, path);
      const dataTransfer = new DataTransfer();
      dataTransfer.items.add(file);
      document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer, bubbles: true, cancelable: true }));
      document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer, bubbles: true, cancelable: true }));
    },
    [path, name]
  );
  await expect(page.getByTestId('model-drop-zone')).toBeVisible();
  await saveScreenshot(page, 'models-04-drop-zone');
  await page.evaluate(
    ([path, name]) => {
      const file = new File(['not really the bytes'], name);
      window.__enclaveFilePaths.set(file, path);
      const dataTransfer = new DataTransfer();
      dataTransfer.items.add(file);
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer, bubbles: true, cancelable: true }));
    },
    [path, name]
  );
  await expect(page.getByTestId('model-drop-zone')).toHaveCount(0);
}

test('the catalogue lists chat and embedding models with what they need and how they fit here', async ({ app }) => {
  await openModels(app);
  const entries = app.getByTestId('catalogue-entry');
  await expect(entries.first()).toBeVisible();
  expect(await entries.count()).toBeGreaterThanOrEqual(4);
  for (const sizeClass of ['small', 'medium', 'large']) await expect(app.getByTestId('models-view')).toContainText(sizeClass);
  await expect(app.getByTestId('models-view')).toContainText('Embedding models');
  const first = entries.first();
  await expect(first).toContainText(/Q\d|F16|F32/);
  await expect(first).toContainText(/tokens/);
  await expect(first).toContainText(/License/);
  // Every entry says how it fits this machine, in words.
  const labels = await app.getByTestId('fit-label').allInnerTexts();
  expect(labels.length).toBe(await entries.count());
  for (const label of labels) expect(label).toMatch(/^(Fits on the GPU|CPU only|Will not fit)/);
  await expect(app.getByTestId('models-machine')).toContainText('RAM');
  await saveScreenshot(app, 'models-01-catalogue');

  // The help lists the shortcut, and Esc goes back to the chat.
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('models-view')).toHaveCount(0);
  await app.keyboard.press('Control+/');
  await expect(app.getByTestId('shortcuts-help')).toContainText('Models: catalogue, downloads');
});

served(
  'first run: the recommended model downloads with a progress bar, loads, and a chat opens with it',
  async ({ app, harness, modelPath, modelServer }) => {
    const recommended = app.getByTestId('recommended-model');
    await expect(recommended).toHaveAttribute('data-id', TEST_ENTRY_ID);
    await expect(recommended.getByTestId('fit-label')).toBeVisible();
    await saveScreenshot(app, 'models-02-first-run-recommended');

    // Hold the file half way so the progress bar can be seen mid-download.
    const hold = modelServer.holdNextResponse(Math.floor(modelServer.bytes.length / 2));
    await app.getByTestId('recommended-download').click();
    const progress = app.getByTestId('recommended-progress');
    await expect(progress).toBeVisible();
    await expect.poll(async () => Number(await progress.getAttribute('value'))).toBeGreaterThan(0.3);
    await expect(recommended).toContainText(/of .*B/);
    await saveScreenshot(app, 'models-03-first-run-downloading');
    hold.release();

    // Done, checked, loaded, and a new chat is open with the composer focused.
    await expect(app.getByTestId('engine-status')).toContainText('enclave-test-chat');
    await expect(app.getByTestId('no-model-empty-state')).toHaveCount(0);
    await expect(app.getByTestId('composer-input')).toBeFocused();
    expect(modelServer.requests.map((request) => request.path)).toEqual(['/models/enclave-test-chat.gguf']);

    await setMaxTokens(app, 16);
    await send(app, 'Hello from the first run');
    await expect(lastAssistant(app)).toHaveAttribute('data-status', 'complete');

    // The models screen lists the file and the catalogue marks the entry as downloaded.
    await openModels(app);
    const file = app.locator('[data-testid="model-file"][data-id="enclave-test-chat"]');
    await expect(file).toContainText('llama');
    await expect(file.getByTestId('model-file-loaded')).toBeVisible();
    await expect(
      app.locator(`[data-testid="catalogue-entry"][data-id="${TEST_ENTRY_ID}"]`).getByTestId('catalogue-downloaded')
    ).toBeVisible();

    // Switch to another model without a restart: copy one in through the file picker and load it.
    harness.chooseModelFileAnswer = modelPath;
    await app.getByTestId('models-import-file').click();
    await app.getByTestId('import-copy').click();
    await expect(app.getByTestId('import-done')).toContainText('copied');
    await app.getByTestId('import-close').click();
    const copied = app.locator(`[data-testid="model-file"][data-id="${basename(modelPath, '.gguf')}"]`);
    await expect(copied.getByTestId('metadata-stored')).toHaveText('File in the models folder');
    await expect(copied.getByTestId('load-submit')).toHaveText('Switch to this model');
    await copied.getByTestId('load-submit').click();
    await expect(copied.getByTestId('model-file-loaded')).toBeVisible();
    await expect(file.getByTestId('model-file-loaded')).toHaveCount(0);
    await expect(app.getByTestId('engine-status')).toContainText('enclave-test-model');
  }
);

served('a slow download pauses and resumes where it stopped, by pasted address', async ({ app, modelServer }) => {
  await openModels(app);
  await expect(app.getByTestId('downloads-empty')).toBeVisible();
  const half = Math.floor(modelServer.bytes.length / 2);
  const hold = modelServer.holdNextResponse(half);
  await app.getByTestId('download-source-input').fill(modelServer.url('slow-model.gguf'));
  await app.getByTestId('download-source-input').press('Enter');

  const row = app.getByTestId('download-row');
  await expect(row).toHaveAttribute('data-status', 'downloading');
  const progress = row.getByTestId('download-progress');
  await expect.poll(async () => Number(await progress.getAttribute('value'))).toBeGreaterThan(0.3);
  await expect(row.getByTestId('download-figures')).toContainText(/\/s/);
  await expect(row.getByTestId('download-figures')).toContainText(/left/);
  await expect(app.getByTestId('status-downloads')).toHaveText('1 downloading');
  await saveScreenshot(app, 'models-05-download-in-progress');

  await row.getByTestId('download-pause').click();
  await expect(row).toHaveAttribute('data-status', 'paused');
  await expect(row.getByTestId('download-status')).toHaveText('Paused');
  await expect(row.getByTestId('download-figures')).toContainText(/of/);
  await saveScreenshot(app, 'models-06-download-paused');
  hold.release();

  await row.getByTestId('download-resume').click();
  await expect(row).toHaveAttribute('data-status', 'done');
  // The second request asked only for the bytes that were missing.
  expect(modelServer.requests).toHaveLength(2);
  expect(modelServer.requests[1]!.range).toMatch(/^bytes=\d+-$/);
  expect(Number(/\d+/.exec(modelServer.requests[1]!.range!)![0])).toBeGreaterThan(0);
  const file = app.locator('[data-testid="model-file"][data-id="slow-model"]');
  await expect(file).toContainText('llama');

  await row.getByTestId('download-dismiss').click();
  await expect(app.getByTestId('downloads-empty')).toBeVisible();
});

served('several downloads at once; a bad address and a cancelled download say what happened', async ({ app, modelServer }) => {
  await app.getByTestId('open-models').click();
  await expect(app.getByTestId('models-view')).toBeVisible();
  await app.getByTestId('download-source-input').fill('ftp://example.com/model.gguf');
  await app.getByTestId('download-source-submit').click();
  await expect(app.getByTestId('download-error')).toContainText('Cannot download');

  const hold = modelServer.holdNextResponse(1024);
  await app.getByTestId('download-source-input').fill(modelServer.url('cancel-me.gguf'));
  await app.getByTestId('download-source-submit').click();
  const row = app.locator('[data-testid="download-row"]').filter({ hasText: 'cancel-me.gguf' });
  await expect(row).toHaveAttribute('data-status', 'downloading');

  // A second download runs beside the held one, from the catalogue's button.
  const entry = app.locator(`[data-testid="catalogue-entry"][data-id="${TEST_ENTRY_ID}"]`);
  await entry.getByTestId('catalogue-download').click();
  const second = app.locator('[data-testid="download-row"]').filter({ hasText: 'enclave-test-chat.gguf' });
  await expect(second).toHaveAttribute('data-status', 'done');
  await expect(app.getByTestId('download-row')).toHaveCount(2);
  await expect(row).toHaveAttribute('data-status', 'downloading');

  await row.getByTestId('download-cancel').click();
  await expect(row).toHaveAttribute('data-status', 'cancelled');
  hold.release();
  await expect(app.locator('[data-testid="model-file"][data-id="cancel-me"]')).toHaveCount(0);
  await expect(entry.getByTestId('catalogue-downloaded')).toBeVisible();
  await app.getByTestId('downloads-clear-finished').click();
  await expect(app.getByTestId('downloads-empty')).toBeVisible();
});

test('import: a dropped non-GGUF file gets a clear error; a real one is linked, shows its metadata and loads with options', async ({
  app,
  harness,
  modelPath
}) => {
  await openModels(app);
  await expect(app.getByTestId('model-files-empty')).toBeVisible();

  const notGguf = join(tmpdir(), `enclave-e2e-notes-${process.pid}.gguf`);
  writeFileSync(notGguf, 'shopping list: eggs, milk');
  await dropFile(app, notGguf, 'notes.gguf');
  const dialog = app.getByTestId('import-dialog');
  await expect(dialog.getByTestId('import-error')).toContainText('is not a readable GGUF model file');
  await saveScreenshot(app, 'models-07-import-error');
  await dialog.getByTestId('import-close').click();
  await expect(dialog).toHaveCount(0);
  await expect(app.getByTestId('model-files-empty')).toBeVisible();

  // Through the file picker: the header is shown before choosing copy or link.
  harness.chooseModelFileAnswer = modelPath;
  await app.getByTestId('models-import-file').click();
  await expect(dialog.getByTestId('metadata-architecture')).toHaveText('llama');
  await dialog.getByTestId('import-link').click();
  await expect(dialog.getByTestId('import-done')).toContainText('linked');
  await expect(dialog.getByTestId('metadata-stored')).toHaveText('Link to the original');
  await dialog.getByTestId('import-close').click();

  const file = app.getByTestId('model-file');
  await expect(file).toHaveCount(1);
  await expect(file).toContainText('Link to the original');
  await expect(file).toContainText('Yes'); // chat template

  // The imported file's load options are open: choose the GPU layers on the slider, a smaller context;
  // the estimate follows the choice.
  const options = file.getByTestId('load-options');
  await expect(options.getByTestId('load-estimate')).toContainText('Estimated');
  await options.getByTestId('load-gpu-mode-custom').check();
  const slider = options.getByTestId('load-gpu-layers-slider');
  await slider.focus();
  await slider.press('End');
  await options.getByTestId('load-context-size').fill('512');
  await options.getByTestId('load-context-size').press('Tab');
  await expect(options.getByTestId('load-estimate')).toContainText('512-token context');
  await options.getByTestId('load-batch-size').fill('128');
  await options.getByTestId('load-batch-size').press('Tab');
  await saveScreenshot(app, 'models-08-load-options');
  await options.getByTestId('load-submit').click();
  await expect(options.getByTestId('load-actual')).toContainText('Loaded');
  await expect(options.getByTestId('load-actual')).toContainText('512-token context');
  expect((await harness.enclave.engine.status()).model).toMatchObject({ contextSize: 512, batchSize: 128 });

  // Unload, then remove the link (the original file stays).
  await options.getByTestId('load-unload').click();
  await expect(app.getByTestId('engine-status')).toContainText('No model loaded');
  await file.getByTestId('model-file-remove').click();
  await expect(file.getByTestId('model-file-remove-confirm')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('model-files-empty')).toBeVisible();
  expect(await ensureTestModel()).toBe(modelPath);
});
