import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { ContractHarness } from '../harness/ContractHarness';
import { ensureTestModel } from '../../test/support/writeTestModel';
import { screenshotDir } from '../support/paths';

interface Fixtures {
  /** Files (name → text) put in the data folder before Enclave opens it, e.g. a prices.json; set with test.use(). */
  dataDirFiles: Record<string, string> | null;
  harness: ContractHarness;
  app: Page;
  modelPath: string;
}

export const test = base.extend<Fixtures>({
  dataDirFiles: [null, { option: true }],
  harness: async ({ dataDirFiles }, use) => {
    let dataDir: string | undefined;
    if (dataDirFiles) {
      dataDir = mkdtempSync(join(tmpdir(), 'enclave-e2e-'));
      for (const [name, text] of Object.entries(dataDirFiles)) writeFileSync(join(dataDir, name), text);
    }
    const harness = await ContractHarness.start({ dataDir });
    await use(harness);
    await harness.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  },
  app: async ({ page, harness }, use) => {
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await harness.attach(page);
    await page.goto(harness.url);
    await use(page);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  },
  modelPath: async ({}, use) => use(await ensureTestModel())
});

export { expect };

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Loads a model through the UI's path field, the way a user pastes a path. */
export async function loadModelByPath(page: Page, path: string): Promise<void> {
  await page.getByTestId('model-path-input').fill(path);
  await page.getByTestId('load-model-button').click();
  await expect(page.getByTestId('engine-status')).toContainText(/GPU layers \d+\/\d+/);
}

export async function setMaxTokens(page: Page, maxTokens: number): Promise<void> {
  await page.getByTestId('conversation-settings-toggle').click();
  await page.getByTestId('max-tokens-input').fill(String(maxTokens));
  await page.getByTestId('save-conversation-settings').click();
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
}

export const lastAssistant = (page: Page) => page.locator('[data-testid="message"][data-role="assistant"]').last();
