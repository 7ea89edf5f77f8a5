import { randomBytes } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import type { ExposedApi } from '../../src-preload/contract';
import { startFakeProvider, type FakeProvider } from '../../test/support/fakeProviders';
import { expect, lastAssistant, saveScreenshot, send, test } from './fixtures';

// Cloud providers against fake OpenAI-wire servers on 127.0.0.1: the UI adds a provider, stores its key
// in the (throwaway) keychain, tests it, routes a chat to it, and falls back along the chain. Run under
// scripts/withKeyring.mjs so a real Secret Service holds the keys.

/** Prices per million tokens for the fakes' models, in the data folder's prices.json. */
const PRICES = {
  providers: {
    fake: { 'gpt-fake-1': { input: 1, output: 2 } },
    first: { 'gpt-fake-1': { input: 1, output: 2 } },
    second: { 'gpt-fake-1': { input: 3, output: 4 } }
  }
};

test.use({ dataDirFiles: { 'prices.json': JSON.stringify(PRICES) } });

const newKey = () => `sk-test-${randomBytes(16).toString('hex')}`;

let fakes: FakeProvider[] = [];
async function fake(apiKey: string): Promise<FakeProvider> {
  const provider = await startFakeProvider({ wire: 'openai', apiKey });
  fakes.push(provider);
  return provider;
}
test.afterEach(async ({ harness }) => {
  // Keys live in the keychain, which outlives the test's data folder: removing a provider deletes its key,
  // so the next test's provider of the same name starts without one.
  for (const provider of await harness.enclave.cloud.listProviders()) await harness.enclave.cloud.removeProvider(provider.name);
  await Promise.all(fakes.map((provider) => provider.close()));
  fakes = [];
});

const card = (page: Page, name: string) => page.locator(`[data-testid="provider-card"][data-provider="${name}"]`);

async function openCloudSettings(page: Page): Promise<void> {
  await page.getByTestId('open-settings').click();
  // The tabs follow the keyboard pattern: arrow keys move between them.
  await page.getByTestId('settings-tab-general').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('settings-tab-cloud')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('settings-tab-cloud')).toBeFocused();
}

async function addProvider(page: Page, name: string, baseUrl: string): Promise<Locator> {
  await page.getByTestId('add-provider-kind').selectOption('openai-compatible');
  await page.getByTestId('add-provider-name').fill(name);
  await page.getByTestId('add-provider-base-url').fill(baseUrl);
  await page.getByTestId('add-provider-submit').click();
  await expect(card(page, name)).toBeVisible();
  return card(page, name);
}

async function setKey(provider: Locator, key: string): Promise<void> {
  await provider.getByTestId('provider-key-input').fill(key);
  await provider.getByTestId('provider-save-key').click();
  await expect(provider.getByTestId('provider-key-status')).toHaveText(`Key set ····${key.slice(-4)}`);
  await expect(provider.getByTestId('provider-key-input')).toHaveValue('');
}

/** What the page could ever have seen of the keys: its DOM and the answers of the calls that describe providers. */
async function pageKnowledge(page: Page): Promise<string> {
  const answers = await page.evaluate(async () => {
    const { enclave } = window as unknown as { enclave: ExposedApi };
    return JSON.stringify([await enclave.listProviders({}), await enclave.listChatModels({}), await enclave.getKeyStoreInfo({})]);
  });
  return `${await page.content()}\n${answers}`;
}

test('add a provider, store its key in the keychain, test it, chat with its model and see the route and cost', async ({ app, harness }) => {
  const key = newKey();
  const provider = await fake(key);

  await openCloudSettings(app);
  await expect(app.getByTestId('providers-empty')).toBeVisible();
  await expect(app.getByTestId('key-store-info')).toContainText('keychain');
  await expect(app.getByTestId('key-store-error')).toHaveCount(0);

  const fakeCard = await addProvider(app, 'fake', provider.baseUrl);
  await expect(fakeCard.getByTestId('provider-base-url')).toHaveText(provider.baseUrl);
  await expect(fakeCard.getByTestId('provider-key-status')).toContainText('No key');
  await expect(fakeCard.getByTestId('provider-spent')).toHaveText('$0.00');

  // A wrong key: the provider says 401 (quoting the key), the card says so without the key.
  const wrongKey = newKey();
  await setKey(fakeCard, wrongKey);
  await fakeCard.getByTestId('provider-test').click();
  await expect(fakeCard.getByTestId('provider-test-result')).toHaveAttribute('data-ok', 'false');
  await expect(fakeCard.getByTestId('provider-health')).toHaveAttribute('data-state', 'unauthorized');
  expect(await pageKnowledge(app)).not.toContain(wrongKey);

  await setKey(fakeCard, key);
  await fakeCard.getByTestId('provider-test').click();
  await expect(fakeCard.getByTestId('provider-test-result')).toHaveAttribute('data-ok', 'true');
  await expect(fakeCard.getByTestId('provider-test-result')).toContainText(/OK · 2 models · \d+ ms/);
  await expect(fakeCard.getByTestId('provider-health')).toHaveAttribute('data-state', 'ok');
  await expect(fakeCard.getByTestId('provider-models')).toHaveText('gpt-fake-1, gpt-fake-2');
  // The key reached the provider, and only the provider.
  expect(provider.requests.at(-1)?.headers.authorization).toBe(`Bearer ${key}`);
  expect(await pageKnowledge(app)).not.toContain(key);
  expect(await pageKnowledge(app)).not.toContain(key.slice(0, -4));
  await saveScreenshot(app, '20-cloud-provider');

  await app.keyboard.press('Escape');
  await app.getByTestId('new-chat').click();
  const picker = app.getByTestId('model-picker');
  await expect(picker).toHaveValue('');
  await expect(picker.locator('option[value="fake/gpt-fake-1"]')).toHaveText('fake/gpt-fake-1 · $1 / $2 per 1M tokens');
  await expect(picker.locator('option[value="local"]')).toBeDisabled();
  await picker.selectOption('fake/gpt-fake-1');
  const conversationId = harness.enclave.conversations.list()[0]!.id;
  await expect.poll(() => harness.enclave.conversations.get(conversationId).model).toBe('fake/gpt-fake-1');
  await expect(app.getByTestId('route-policy-picker')).toHaveCount(0);

  await send(app, 'Hello from the cloud test');
  const reply = lastAssistant(app);
  await expect(reply).toHaveAttribute('data-status', 'complete');
  await expect(reply.getByTestId('message-content')).toHaveText('You said: Hello from the cloud test');
  await expect(reply.getByTestId('message-model')).toHaveText('fake/gpt-fake-1');
  await expect(reply.getByTestId('message-cost')).toHaveText(/^\$0\.0\d+$/);
  const steps = reply.getByTestId('route-step');
  await expect(steps).toHaveCount(1);
  await expect(steps.first()).toHaveAttribute('data-outcome', 'answered');
  await reply.getByTestId('message-route').locator('summary').click();
  await expect(reply.getByTestId('route-reason')).toContainText('This conversation uses fake/gpt-fake-1');
  await expect(reply.getByTestId('route-attempt')).toHaveText([/answered\s*fake\/gpt-fake-1/]);
  await expect(reply.getByTestId('route-privacy')).toContainText('sent with privacy Redact');
  await saveScreenshot(app, '21-cloud-reply');

  const chat = provider.requests.filter((request) => request.path === '/v1/chat/completions');
  expect(chat).toHaveLength(1);
  expect(chat[0]!.body.model).toBe('gpt-fake-1');
  const stored = harness.enclave.conversations.get(conversationId).messages[1]!;
  expect(stored.metrics?.provider).toBe('fake');
  expect(stored.metrics?.costUsd).toBeGreaterThan(0);

  // The month's spend shows on the card once the reply is in.
  await app.getByTestId('open-settings').click();
  await expect(card(app, 'fake').getByTestId('provider-spent')).not.toHaveText('$0.00');
  expect(await pageKnowledge(app)).not.toContain(key);
});

test('Automatic, cloud preferred: the first provider fails with 500, the second answers, and the route shows both', async ({ app }) => {
  const firstKey = newKey();
  const secondKey = newKey();
  const first = await fake(firstKey);
  const second = await fake(secondKey);
  first.fault({ status: 500 });

  await openCloudSettings(app);
  await setKey(await addProvider(app, 'first', first.baseUrl), firstKey);
  const secondCard = await addProvider(app, 'second', second.baseUrl);
  await setKey(secondCard, secondKey);
  await secondCard.getByTestId('provider-test').click();
  await expect(secondCard.getByTestId('provider-test-result')).toHaveAttribute('data-ok', 'true');

  // One retry per model keeps the test short; the chain is built out of order and then fixed.
  await app.getByTestId('router-retries-input').fill('1');
  await app.getByTestId('router-retries-input').press('Tab');
  await expect(app.getByTestId('cloud-chain-empty')).toBeVisible();
  for (const ref of ['second/gpt-fake-1', 'first/gpt-fake-1']) {
    await app.getByTestId('cloud-chain-add-select').selectOption(ref);
    await app.getByTestId('cloud-chain-add').click();
    await expect(app.locator(`[data-testid="cloud-chain-item"][data-ref="${ref}"]`)).toBeVisible();
  }
  await app.locator('[data-testid="cloud-chain-item"][data-ref="first/gpt-fake-1"]').getByTestId('cloud-chain-up').click();
  await expect(app.getByTestId('cloud-chain-item')).toHaveText([/first\/gpt-fake-1/, /second\/gpt-fake-1/]);
  // Focus stays on the moved entry, so the keyboard can keep moving it.
  await expect(app.locator('[data-testid="cloud-chain-item"][data-ref="first/gpt-fake-1"]').getByTestId('cloud-chain-down')).toBeFocused();
  await app.getByTestId('router-policy-cloud-preferred').check();
  await expect(app.getByTestId('router-error')).toHaveCount(0);
  await saveScreenshot(app, '22-cloud-router-settings');

  await app.keyboard.press('Escape');
  await app.getByTestId('new-chat').click();
  await app.getByTestId('model-picker').selectOption('auto');
  await expect(app.getByTestId('route-policy-picker')).toHaveValue('');
  await expect(app.getByTestId('route-policy-picker').locator('option[value=""]')).toHaveText('Default (Cloud preferred)');

  await send(app, 'Fallback please');
  const reply = lastAssistant(app);
  await expect(reply).toHaveAttribute('data-status', 'complete');
  await expect(reply.getByTestId('message-content')).toHaveText('You said: Fallback please');
  await expect(reply.getByTestId('message-model')).toHaveText('second/gpt-fake-1');
  // The local fallback comes last in this route, so it never came up (no local model is loaded either).
  await expect(reply.getByTestId('route-step')).toHaveText([/first\/gpt-fake-1\s*×2\s*failed/, /second\/gpt-fake-1\s*answered/]);
  await reply.getByTestId('message-route').locator('summary').click();
  await expect(reply.getByTestId('route-reason')).toContainText('cloud preferred');
  const failed = reply.locator('[data-testid="route-attempt"][data-outcome="failed"]');
  await expect(failed).toHaveCount(2);
  await expect(failed.first()).toContainText('first/gpt-fake-1');
  await expect(failed.first()).toContainText('500');
  await expect(reply.locator('[data-testid="route-attempt"][data-outcome="answered"]')).toContainText('second/gpt-fake-1');
  await saveScreenshot(app, '23-cloud-fallback');
  expect(first.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(2);
  expect(second.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(1);

  // Removing a provider asks first; the chain then says its entry is no longer offered.
  await app.getByTestId('open-settings').click();
  await card(app, 'first').getByTestId('provider-remove').click();
  await expect(card(app, 'first').getByTestId('provider-remove-cancel')).toBeFocused();
  await card(app, 'first').getByTestId('provider-remove-confirm').click();
  await expect(card(app, 'first')).toHaveCount(0);
  await expect(app.locator('[data-testid="cloud-chain-item"][data-ref="first/gpt-fake-1"]')).toContainText('not offered by any provider');
});
