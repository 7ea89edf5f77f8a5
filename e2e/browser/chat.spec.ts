import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, lastAssistant, loadModelByPath, saveScreenshot, send, setMaxTokens, test } from './fixtures';

test('first run: empty states, a prompt without a model explains how to load one', async ({ app }) => {
  await expect(app.getByTestId('no-model-empty-state')).toBeVisible();
  await expect(app.getByTestId('no-conversations-empty-state')).toBeVisible();
  await saveScreenshot(app, '01-first-run');

  await app.getByTestId('new-chat').click();
  await send(app, 'Is anyone there?');
  await expect(app.getByText(/No model is loaded/)).toBeVisible();
  // The typed text is kept so nothing is lost.
  await expect(app.getByTestId('composer-input')).toHaveValue('Is anyone there?');
  await saveScreenshot(app, '02-prompt-without-model');
});

test('bad model files give clear errors and the app keeps working', async ({ app, modelPath }) => {
  await app.getByTestId('model-path-input').fill('/nonexistent/model.gguf');
  await app.getByTestId('load-model-button').click();
  await expect(app.getByTestId('model-error')).toContainText('No model file at /nonexistent/model.gguf');

  const notGguf = join(tmpdir(), `enclave-e2e-not-a-model-${process.pid}.gguf`);
  writeFileSync(notGguf, 'hello, I am a text file');
  await app.getByTestId('model-path-input').fill(notGguf);
  await app.getByTestId('load-model-button').click();
  await expect(app.getByTestId('model-error')).toContainText('is not a GGUF model file');
  await saveScreenshot(app, '03-model-error');

  await loadModelByPath(app, modelPath);
  await expect(app.getByTestId('model-error')).toHaveCount(0);
});

test('load the generated model with the file chooser, stream a reply, and see its metrics', async ({ app, harness, modelPath }) => {
  harness.chooseModelFileAnswer = modelPath;
  await app.getByTestId('choose-model-file').click();
  const status = app.getByTestId('engine-status');
  await expect(status).toContainText(/GPU layers \d+\/\d+/);
  await expect(status).toContainText(/cpu|cuda|vulkan|metal/i);
  await saveScreenshot(app, '04-model-loaded');

  await app.getByTestId('new-chat').click();
  await setMaxTokens(app, 1200);
  await send(app, 'Tell me a long story about a fox.');

  const reply = lastAssistant(app);
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  // Watch it grow while it streams.
  const content = reply.getByTestId('message-content');
  await expect.poll(async () => (await content.innerText()).length).toBeGreaterThan(20);
  const early = (await content.innerText()).length;
  await expect.poll(async () => (await content.innerText()).length).toBeGreaterThan(early + 50);
  await saveScreenshot(app, '05-streaming');

  await expect(reply).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
  await expect(reply.getByTestId('message-metrics')).toContainText(/tok\/s/);
  await expect(app.locator('[data-testid="conversation-item"]')).toHaveCount(1);
  await expect(app.getByTestId('conversation-title')).toHaveText('Tell me a long story about a fox.');
  await saveScreenshot(app, '06-reply-complete');

  const stored = harness.enclave.conversations.get(harness.enclave.conversations.list()[0]!.id);
  expect(stored.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  expect(stored.messages[1]!.metrics?.completionTokens).toBe(1200);
});

test('stop a reply mid-stream keeps what was written', async ({ app, harness, modelPath }) => {
  await loadModelByPath(app, modelPath);
  await app.getByTestId('new-chat').click();
  await setMaxTokens(app, 50_000);
  await send(app, 'Count to a million.');

  const reply = lastAssistant(app);
  const content = reply.getByTestId('message-content');
  await expect.poll(async () => (await content.innerText()).length).toBeGreaterThan(100);
  await app.getByTestId('stop-button').click();
  await expect(reply).toHaveAttribute('data-status', 'stopped');
  await saveScreenshot(app, '07-stopped');

  const shown = (await content.innerText()).trim();
  expect(shown.length).toBeGreaterThan(0);
  const stored = harness.enclave.conversations.get(harness.enclave.conversations.list()[0]!.id).messages[1]!;
  expect(stored.status).toBe('stopped');
  expect(stored.content.length).toBeGreaterThan(100);
  expect(stored.metrics!.completionTokens).toBeLessThan(50_000);
});

test('history survives a reload; search, rename and delete', async ({ app, modelPath }) => {
  await loadModelByPath(app, modelPath);
  await app.getByTestId('new-chat').click();
  await setMaxTokens(app, 24);
  await send(app, 'Remember the word aardvark');
  await expect(lastAssistant(app)).toHaveAttribute('data-status', 'complete');

  await app.reload();
  const item = app.getByTestId('conversation-item');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('conversation-title')).toHaveText('Remember the word aardvark');
  await item.getByTestId('conversation-title').click();
  await expect(app.getByTestId('message')).toHaveCount(2);
  await expect(app.locator('[data-testid="message"][data-role="user"]')).toContainText('Remember the word aardvark');
  await saveScreenshot(app, '08-history-after-reload');

  await app.getByTestId('conversation-search').fill('aardv');
  await expect(app.getByTestId('conversation-item')).toHaveCount(1);
  await app.getByTestId('conversation-search').fill('zebra');
  await expect(app.getByTestId('conversation-item')).toHaveCount(0);
  await app.getByTestId('conversation-search').fill('');
  await expect(app.getByTestId('conversation-item')).toHaveCount(1);

  await app.getByTestId('rename-conversation').click();
  await app.getByTestId('rename-input').fill('Animal words');
  await app.getByTestId('rename-input').press('Enter');
  await expect(app.getByTestId('conversation-title')).toHaveText('Animal words');
  await app.reload();
  await expect(app.getByTestId('conversation-title')).toHaveText('Animal words');
  await saveScreenshot(app, '09-renamed');

  await app.getByTestId('delete-conversation').click();
  await app.getByTestId('confirm-delete').click();
  await expect(app.getByTestId('no-conversations-empty-state')).toBeVisible();
  await app.reload();
  await expect(app.getByTestId('conversation-item')).toHaveCount(0);
  await expect(app.getByTestId('no-conversations-empty-state')).toBeVisible();
});

test('regenerate and edit-and-resend', async ({ app, harness, modelPath }) => {
  await loadModelByPath(app, modelPath);
  await app.getByTestId('new-chat').click();
  await setMaxTokens(app, 16);
  await send(app, 'First question');
  await expect(lastAssistant(app)).toHaveAttribute('data-status', 'complete');
  const firstReplyId = (await harness.enclave.conversations.get(harness.enclave.conversations.list()[0]!.id)).messages[1]!.id;

  await app.getByTestId('regenerate-button').click();
  await expect(lastAssistant(app)).toHaveAttribute('data-status', 'complete');
  const afterRegenerate = harness.enclave.conversations.get(harness.enclave.conversations.list()[0]!.id).messages;
  expect(afterRegenerate).toHaveLength(2);
  expect(afterRegenerate[1]!.id).not.toBe(firstReplyId);

  await app.getByTestId('edit-message-button').click();
  await app.getByTestId('edit-message-input').fill('A better question');
  await app.getByTestId('edit-message-save').click();
  await expect(app.locator('[data-testid="message"][data-role="user"]')).toHaveText(/A better question/);
  await expect(lastAssistant(app)).toHaveAttribute('data-status', 'complete');
  const afterEdit = harness.enclave.conversations.get(harness.enclave.conversations.list()[0]!.id).messages;
  expect(afterEdit.map((m) => [m.role, m.role === 'user' ? m.content : m.status])).toEqual([
    ['user', 'A better question'],
    ['assistant', 'complete']
  ]);
});

test('settings: thread auto-tune with its chart, system prompt per conversation', async ({ app, harness, modelPath }) => {
  await loadModelByPath(app, modelPath);
  await app.getByTestId('open-settings').click();
  await app.getByTestId('tune-threads-button').click();
  await expect(app.getByTestId('tune-progress')).toBeVisible();
  await expect(app.getByText(/best/i).first()).toBeVisible({ timeout: 60_000 });
  await saveScreenshot(app, '10-settings-tune');
  await app.keyboard.press('Escape');

  await app.getByTestId('new-chat').click();
  await app.getByTestId('conversation-settings-toggle').click();
  await app.getByTestId('system-prompt-input').fill('You are a terse assistant.');
  await app.getByTestId('save-conversation-settings').click();
  await expect
    .poll(() => harness.enclave.conversations.get(harness.enclave.conversations.list()[0]!.id).systemPrompt)
    .toBe('You are a terse assistant.');
  await saveScreenshot(app, '11-conversation-settings');
});

test('links in replies open outside the app, never in the window', async ({ app, harness }) => {
  const conversation = harness.enclave.conversations.create({ title: 'Links' });
  harness.enclave.conversations.addMessage(conversation.id, 'user', 'Where are the docs?', 'complete');
  harness.enclave.conversations.addMessage(
    conversation.id,
    'assistant',
    'See [the docs](https://example.org/docs) or <a href="javascript:alert(1)">this</a>.',
    'complete'
  );
  await app.reload();
  await app.getByTestId('conversation-title').click();
  await app.getByRole('link', { name: 'the docs' }).click();
  await expect.poll(() => harness.openedLinks).toEqual(['https://example.org/docs']);
  expect(app.url()).toBe(harness.url);
  // The javascript: link was sanitized away.
  await expect(app.locator('a[href^="javascript:"]')).toHaveCount(0);
});
