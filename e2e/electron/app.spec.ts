// The same flows as the browser specs, in the real Electron app. Runs wherever the Electron binary
// is installed; elsewhere (the build machines cannot download it) every test reports skipped with why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary } from '../../scripts/electronBinary.mjs';
import { prepareElectronNative } from '../../scripts/prepareElectronNative.mjs';
import { ensureTestModel } from '../../test/support/writeTestModel';
import { lastAssistant, loadModelByPath, saveScreenshot, send, setMaxTokens } from '../browser/fixtures';
import { repoRoot } from '../support/paths';

const binary = findElectronBinary();
test.skip(binary.path === null, `Electron binary not installed: ${binary.path === null ? binary.reason : ''}`);

let app: ElectronApplication;
let page: Page;
let dataDir: string;

async function launch(): Promise<void> {
  app = await electron.launch({
    executablePath: binary.path!,
    args: [join(repoRoot, 'out', 'main', 'index.js'), `--data-dir=${dataDir}`],
    env: { ...process.env, ELECTRON_RENDERER_URL: '' }
  });
  page = await app.firstWindow();
}

test.beforeAll(async () => {
  await prepareElectronNative({ requireBinary: true });
  dataDir = mkdtempSync(join(tmpdir(), 'enclave-electron-'));
  await launch();
});

test.afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the window is isolated and sandboxed, and exposes only the contract', async () => {
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]!.webContents;
    return (contents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
  });
  expect(prefs.contextIsolation).toBe(true);
  expect(prefs.sandbox).toBe(true);
  expect(prefs.nodeIntegration).toBe(false);
  expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer)).toBe('undefined');
  expect(prefs.spellcheck).toBe(false);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
});

test('the page comes from app://enclave, which serves out/renderer and nothing outside it', async () => {
  expect(page.url()).toBe('app://enclave/index.html');
  expect(await page.evaluate(() => location.origin)).toBe('app://enclave');
  const status = (path: string) =>
    page.evaluate(async (url) => {
      try {
        return (await fetch(url)).status;
      } catch {
        return 0;
      }
    }, path);
  expect(await status('app://enclave/index.html')).toBe(200);
  for (const path of ['app://enclave/..%2f..%2fpackage.json', 'app://enclave/..%2fmain%2findex.js', 'app://enclave/missing.js'])
    expect(await status(path), path).toBe(404);
  // No file:// access from the page.
  expect(await status(`file://${join(repoRoot, 'package.json')}`)).toBe(0);
});

test('load the model, stream, stop, reload, rename and delete', async () => {
  await loadModelByPath(page, await ensureTestModel());
  await page.getByTestId('new-chat').click();
  await setMaxTokens(page, 50_000);
  await send(page, 'Tell me a story in the desktop app.');
  const reply = lastAssistant(page);
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  await expect.poll(async () => (await reply.getByTestId('message-content').innerText()).length).toBeGreaterThan(100);
  await page.getByTestId('stop-button').click();
  await expect(reply).toHaveAttribute('data-status', 'stopped');
  await saveScreenshot(page, 'electron-01-stopped');

  await app.close();
  await launch();
  await expect(page.getByTestId('conversation-title')).toHaveText('Tell me a story in the desktop app.');
  await page.getByTestId('rename-conversation').click();
  await page.getByTestId('rename-input').fill('Desktop story');
  await page.getByTestId('rename-input').press('Enter');
  await expect(page.getByTestId('conversation-title')).toHaveText('Desktop story');
  await page.getByTestId('delete-conversation').click();
  await page.getByTestId('confirm-delete').click();
  await expect(page.getByTestId('no-conversations-empty-state')).toBeVisible();
  await saveScreenshot(page, 'electron-02-after-delete');
});
