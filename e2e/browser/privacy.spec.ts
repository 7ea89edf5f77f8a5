import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { startFakeProvider, type FakeProvider } from '../../test/support/fakeProviders';
import type { ContractHarness } from '../harness/ContractHarness';
import { expect, lastAssistant, saveScreenshot, send, test } from './fixtures';

// The privacy switch, the egress preview and the egress ledger, against a fake OpenAI-wire provider on
// 127.0.0.1. The provider is set up through the core (the cloud settings UI has its own spec); everything
// privacy-related goes through the UI, and the fake's recorded requests show what really left.

const MODEL = 'fake/gpt-fake-1';

let fakes: FakeProvider[] = [];

async function addFakeProvider(harness: ContractHarness, name: string): Promise<FakeProvider> {
  const fake = await startFakeProvider({ wire: 'openai' });
  fakes.push(fake);
  // openai-compatible needs no key, so no keychain is involved.
  await harness.enclave.cloud.addProvider({ name, kind: 'openai-compatible', baseUrl: fake.baseUrl });
  return fake;
}

test.afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

const chatRequests = (fake: FakeProvider) => fake.requests.filter((request) => request.path.endsWith('/chat/completions'));

/** A new chat in the UI whose model is the fake cloud model (set through the core: the picker has its own spec). */
async function newCloudChat(page: Page, harness: ContractHarness): Promise<string> {
  await page.getByTestId('new-chat').click();
  await expect(page.getByTestId('conversation-item')).not.toHaveCount(0);
  const id = harness.enclave.conversations.list()[0]!.id;
  harness.enclave.chat.updateSettings(id, { model: MODEL });
  return id;
}

const previewDialog = (page: Page) => page.getByTestId('egress-preview');
/** The message being sent, as the preview shows it (earlier turns are folded away above it). */
const previewedMessage = (page: Page) => previewDialog(page).locator('[data-testid="egress-preview-message"][data-role="user"]').last();
const entity = (page: Page, placeholder: string) =>
  previewDialog(page).locator(`[data-testid="egress-entity"][data-placeholder="${placeholder}"]`);

test('privacy switch: Local only refuses the cloud model, Off needs a confirmation and stays visible', async ({ app, harness }) => {
  const fake = await addFakeProvider(harness, 'fake');
  const conversationId = await newCloudChat(app, harness);

  // Redact is the default, and nothing warns.
  await expect(app.getByTestId('global-privacy-redact')).toHaveAttribute('aria-checked', 'true');
  await expect(app.getByTestId('conversation-privacy-select')).toHaveValue('global');
  await expect(app.getByTestId('privacy-off-banner')).toHaveCount(0);

  // Local only: the cloud model is refused with a clear message, and nothing reaches the provider.
  await app.getByTestId('global-privacy-local-only').click();
  await expect(app.getByTestId('global-privacy-local-only')).toHaveAttribute('aria-checked', 'true');
  expect(harness.enclave.privacy.settings.mode).toBe('local-only');
  await expect(app.getByTestId('use-cloud-toggle')).toBeDisabled();
  await send(app, 'Summarize my meeting with Jane Doe');
  await expect(app.getByText('Privacy is set to Local only: nothing leaves this machine, so cloud models are disabled.')).toBeVisible();
  await expect(app.getByTestId('composer-input')).toHaveValue('Summarize my meeting with Jane Doe');
  await app.getByTestId('preview-egress-button').click();
  await expect(previewDialog(app).getByTestId('egress-preview-blocked')).toContainText('Local only');
  await expect(previewDialog(app).getByTestId('egress-preview-mode')).toHaveText('Local only');
  await saveScreenshot(app, 'privacy-01-local-only');
  await previewDialog(app).getByTestId('egress-preview-cancel').click();
  await expect(previewDialog(app)).toHaveCount(0);
  expect(chatRequests(fake)).toHaveLength(0);
  expect(harness.enclave.egressLedger.list().total).toBe(0);

  // Off asks first; "Keep redacting" and Esc both keep Redact.
  await app.getByTestId('global-privacy-redact').click();
  await expect(app.getByTestId('global-privacy-redact')).toHaveAttribute('aria-checked', 'true');
  const confirmDialog = app.getByTestId('privacy-off-dialog');
  await app.getByTestId('global-privacy-off').click();
  await expect(confirmDialog).toBeVisible();
  await expect(confirmDialog).toContainText('leave this machine as raw text');
  await saveScreenshot(app, 'privacy-02-off-confirmation');
  await app.getByTestId('privacy-off-cancel').click();
  await expect(confirmDialog).toHaveCount(0);
  await expect(app.getByTestId('global-privacy-redact')).toHaveAttribute('aria-checked', 'true');
  await app.getByTestId('global-privacy-off').click();
  await expect(confirmDialog).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(confirmDialog).toHaveCount(0);
  await expect(app.getByTestId('global-privacy-redact')).toHaveAttribute('aria-checked', 'true');
  await expect(app.getByTestId('privacy-off-banner')).toHaveCount(0);
  expect(harness.enclave.privacy.settings.mode).toBe('redact');

  // Confirmed: Off, with a banner in the chat pane and a badge in the header, also after a reload.
  await app.getByTestId('global-privacy-off').click();
  await app.getByTestId('privacy-off-confirm').click();
  await expect(app.getByTestId('global-privacy-off')).toHaveAttribute('aria-checked', 'true');
  await expect(app.getByTestId('privacy-off-banner')).toBeVisible();
  await expect(app.getByTestId('privacy-off-badge')).toBeVisible();
  expect(harness.enclave.privacy.settings.mode).toBe('off');
  await app.reload();
  await expect(app.getByTestId('privacy-off-banner')).toBeVisible();
  await expect(app.getByTestId('privacy-off-badge')).toBeVisible();
  await app.getByTestId('conversation-title').first().click();
  await expect(app.getByTestId('conversation-privacy-select')).toHaveValue('global');
  await expect(app.getByTestId('conversation-privacy-select').locator('option[value="global"]')).toHaveText('Use global (Off)');
  await saveScreenshot(app, 'privacy-03-off-indicator');

  // A conversation can keep redacting while the global switch is Off.
  await app.getByTestId('conversation-privacy-select').selectOption('redact');
  await expect(app.getByTestId('conversation-privacy-select')).toHaveValue('redact');
  await expect(app.getByTestId('privacy-off-banner')).toHaveCount(0);
  await expect(app.getByTestId('privacy-off-badge')).toHaveCount(0);
  expect(harness.enclave.conversations.get(conversationId).privacyMode).toBe('redact');

  // Off for one conversation needs its own confirmation; cancelling leaves the select as it was.
  await app.getByTestId('global-privacy-redact').click();
  await expect(app.getByTestId('global-privacy-redact')).toHaveAttribute('aria-checked', 'true');
  await app.getByTestId('conversation-privacy-select').selectOption('off');
  await expect(confirmDialog).toContainText('whatever the global setting');
  await app.getByTestId('privacy-off-cancel').click();
  await expect(app.getByTestId('conversation-privacy-select')).toHaveValue('redact');
  await app.getByTestId('conversation-privacy-select').selectOption('off');
  await app.getByTestId('privacy-off-confirm').click();
  await expect(app.getByTestId('conversation-privacy-select')).toHaveValue('off');
  await expect(app.getByTestId('privacy-off-banner')).toContainText('Privacy is Off for this conversation');
  await expect(app.getByTestId('privacy-off-badge')).toBeVisible();
  expect(harness.enclave.conversations.get(conversationId).privacyMode).toBe('off');

  // "Redact again" in the banner: the conversation follows the global Redact again.
  await app.getByTestId('privacy-off-banner-redact').click();
  await expect(app.getByTestId('privacy-off-banner')).toHaveCount(0);
  await expect(app.getByTestId('conversation-privacy-select')).toHaveValue('global');
  expect(harness.enclave.conversations.get(conversationId).privacyMode).toBeNull();
  expect(chatRequests(fake)).toHaveLength(0);
});

test('egress preview: placeholders highlighted, un-redact the email, send, and the reply shows the real values', async ({
  app,
  harness
}) => {
  const fake = await addFakeProvider(harness, 'fake');
  await newCloudChat(app, harness);
  const text = 'Email Jane Doe at jane.doe@example.com, or call +1 415 555 0100.';
  await app.getByTestId('composer-input').fill(text);
  await app.getByTestId('composer-input').press('Control+Shift+Enter');

  const dialog = previewDialog(app);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('egress-preview-target')).toHaveText(MODEL);
  await expect(dialog.getByTestId('egress-preview-mode')).toHaveText('Redact');
  const message = previewedMessage(app);
  await expect(message).toContainText('Email [PERSON_1] at [EMAIL_1], or call [PHONE_1].');
  await expect(message).not.toContainText('Jane Doe');
  await expect(message.getByTestId('egress-redaction')).toHaveCount(3);
  await expect(message.locator('[data-testid="egress-redaction"][data-type="EMAIL"]')).toHaveText('[EMAIL_1]');
  await expect(dialog.locator('[data-testid="egress-entity-count"][data-type="PERSON"]')).toContainText('1');
  await expect(dialog.locator('[data-testid="egress-entity-count"][data-type="EMAIL"]')).toContainText('1');
  await expect(dialog.locator('[data-testid="egress-entity-count"][data-type="PHONE"]')).toContainText('1');
  await expect(entity(app, '[PERSON_1]')).toContainText('Jane Doe');
  // The pseudonymization instructions go along, folded away above the message.
  await expect(dialog.getByTestId('egress-earlier-messages')).toContainText('1 earlier message');
  await saveScreenshot(app, 'privacy-04-preview');

  // Un-redact the email: it is shown (and will be sent) as written, in a warning style.
  const email = entity(app, '[EMAIL_1]');
  await email.getByTestId('egress-unredact').click();
  await expect(email).toHaveAttribute('data-unredacted', 'true');
  await expect(message.locator('[data-testid="egress-redaction"][data-unredacted="true"]')).toHaveText('jane.doe@example.com');
  await expect(dialog.locator('[data-testid="egress-entity-count"][data-type="EMAIL"]')).toHaveCount(0);
  // …and back, and un-redacted again.
  await email.getByTestId('egress-redact-again').click();
  await expect(email).toHaveAttribute('data-unredacted', 'false');
  await expect(message).toContainText('[EMAIL_1]');
  await email.getByTestId('egress-unredact').click();
  await expect(message).toContainText('Email [PERSON_1] at jane.doe@example.com, or call [PHONE_1].');
  await saveScreenshot(app, 'privacy-05-preview-unredacted');
  expect(chatRequests(fake)).toHaveLength(0);

  await dialog.getByTestId('egress-preview-send').click();
  await expect(dialog).toHaveCount(0);
  const reply = lastAssistant(app);
  await expect(reply).toHaveAttribute('data-status', 'complete');
  await expect(app.getByTestId('composer-input')).toHaveValue('');

  // The provider got the email (un-redacted) but neither the name nor the phone number.
  expect(chatRequests(fake)).toHaveLength(1);
  const sent = chatRequests(fake)[0]!.rawBody;
  expect(sent).toContain('jane.doe@example.com');
  expect(sent).toContain('[PERSON_1]');
  expect(sent).not.toContain('Jane Doe');
  expect(sent).not.toContain('555 0100');
  // The fake echoes the placeholders; the reply on screen has the real values back.
  await expect(reply.getByTestId('message-content')).toContainText(`You said: ${text}`);
  await saveScreenshot(app, 'privacy-06-reply-restored');

  // The un-redaction was for that message only: the next preview redacts the email again (in the history too).
  await app.getByTestId('composer-input').fill('Thanks, and remind Jane Doe tomorrow.');
  await app.getByTestId('preview-egress-button').click();
  await expect(previewedMessage(app)).toContainText('remind [PERSON_1] tomorrow');
  await expect(entity(app, '[EMAIL_1]')).toHaveAttribute('data-unredacted', 'false');
  await previewDialog(app).getByTestId('egress-preview-cancel').click();
});

test('"Ask a cloud model for this message" routes one message to the cloud chain, then resets', async ({ app, harness }) => {
  const fake = await addFakeProvider(harness, 'fake');
  harness.enclave.router.updateSettings({ cloudChain: [MODEL] });
  // A conversation on the local model (none is loaded): only the toggle sends this message to the cloud.
  await app.getByTestId('new-chat').click();
  await app.getByTestId('composer-input').fill('What is the capital of France?');
  await app.getByTestId('preview-egress-button').click();
  await expect(previewDialog(app).getByTestId('egress-preview-target')).toHaveText('Nothing leaves this machine');
  await previewDialog(app).getByTestId('egress-preview-cancel').click();

  await app.getByTestId('use-cloud-toggle').check();
  await app.getByTestId('preview-egress-button').click();
  await expect(previewDialog(app).getByTestId('egress-preview-target')).toHaveText(MODEL);
  await previewDialog(app).getByTestId('egress-preview-send').click();
  await expect(lastAssistant(app)).toHaveAttribute('data-status', 'complete');
  await expect(lastAssistant(app).getByTestId('message-content')).toContainText('You said: What is the capital of France?');
  expect(chatRequests(fake)).toHaveLength(1);
  await expect(app.getByTestId('use-cloud-toggle')).not.toBeChecked();
});

test('dictionary from the preview: "Always redact…" a code name, "Never redact this" a name', async ({ app, harness }) => {
  const fake = await addFakeProvider(harness, 'fake');
  await newCloudChat(app, harness);
  await app.getByTestId('composer-input').fill('Ask Jane Doe about Project Nightingale before Friday.');
  await app.getByTestId('preview-egress-button').click();

  const dialog = previewDialog(app);
  const message = previewedMessage(app);
  await expect(message).toContainText('Ask [PERSON_1] about Project Nightingale before Friday.');

  await dialog.getByTestId('always-redact-input').fill('Nightingale');
  await dialog.getByTestId('always-redact-add').click();
  await expect(message).not.toContainText('Nightingale');
  await expect(message.locator('[data-testid="egress-redaction"][data-type="CUSTOM"]')).toHaveText('[CUSTOM_1]');
  await expect(entity(app, '[CUSTOM_1]')).toContainText('Nightingale');
  await expect(dialog.getByTestId('always-redact-input')).toHaveValue('');
  expect(harness.enclave.privacy.settings.alwaysRedact).toEqual(['Nightingale']);

  await entity(app, '[PERSON_1]').getByTestId('egress-never-redact').click();
  await expect(message).toContainText('Ask Jane Doe about Project [CUSTOM_1] before Friday.');
  await expect(entity(app, '[PERSON_1]')).toHaveCount(0);
  expect(harness.enclave.privacy.settings.neverRedact).toEqual(['Jane Doe']);
  await dialog.locator('details.dictionary summary').click();
  await expect(dialog.getByTestId('dictionary-term')).toHaveCount(2);
  await saveScreenshot(app, 'privacy-07-dictionary');

  await dialog.getByTestId('egress-preview-send').click();
  await expect(lastAssistant(app)).toHaveAttribute('data-status', 'complete');
  const sent = chatRequests(fake)[0]!.rawBody;
  expect(sent).toContain('Jane Doe');
  expect(sent).not.toContain('Nightingale');
  await expect(lastAssistant(app).getByTestId('message-content')).toContainText('Project Nightingale');
});

test('egress ledger: records with entity counts, payloads, filters, live updates and JSON/CSV exports', async ({ app, harness }) => {
  await addFakeProvider(harness, 'fake');
  await newCloudChat(app, harness);

  // Empty at first, with an explanation; Esc goes back to the chat.
  await app.getByTestId('open-egress-ledger').click();
  await expect(app.getByTestId('egress-ledger-empty')).toContainText('Nothing has left this machine yet');
  await saveScreenshot(app, 'privacy-08-ledger-empty');
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('egress-ledger')).toHaveCount(0);

  await send(app, 'Email Jane Doe at jane.doe@example.com about the invoice.');
  await expect(lastAssistant(app)).toHaveAttribute('data-status', 'complete');
  await send(app, 'Also tell her the budget is fine.');
  await expect(lastAssistant(app)).toHaveAttribute('data-status', 'complete');

  await app.keyboard.press('Control+Shift+L');
  const rows = app.getByTestId('egress-row');
  await expect(rows).toHaveCount(2);
  await expect(app.getByTestId('egress-ledger-count')).toHaveText('Showing 2 of 2 requests');
  await expect(rows.nth(0)).toHaveAttribute('data-status', 'completed');
  // Oldest last: the first message redacted one name and one email.
  await expect(rows.nth(1).getByTestId('egress-row-entities')).toContainText('EMAIL 1');
  await expect(rows.nth(1).getByTestId('egress-row-entities')).toContainText('PERSON 1');
  await expect(rows.nth(0)).toContainText('gpt-fake-1');
  await expect(rows.nth(0)).toContainText('Redact');

  // Live: a request made elsewhere (another provider, through the core) appears on top at once.
  await addFakeProvider(harness, 'other');
  const other = harness.enclave.conversations.create({ title: 'Other chat' });
  harness.enclave.chat.updateSettings(other.id, { model: 'other/gpt-fake-2' });
  await harness.enclave.chat.send(other.id, 'Hello from the other chat', {}).finished;
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toHaveAttribute('data-provider', 'other');
  await expect(rows.nth(0)).toHaveAttribute('data-status', 'completed');
  await expect(app.getByTestId('egress-chart-bar')).toHaveCount(14);
  await expect(app.getByTestId('egress-chart-bar').last()).toHaveAttribute('data-count', '3');

  // The exact payload, pretty printed: placeholders, not the values.
  await rows.nth(2).getByTestId('egress-row-toggle').click();
  const payload = app.getByTestId('egress-payload');
  await expect(payload).toContainText('"model": "gpt-fake-1"');
  await expect(payload).toContainText('Email [PERSON_1] at [EMAIL_1] about the invoice.');
  await expect(payload).not.toContainText('jane.doe@example.com');
  await saveScreenshot(app, 'privacy-09-ledger');

  // Filters: provider, text in the payload, this conversation, dates.
  await app.getByTestId('egress-filter-provider').selectOption('other');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-provider', 'other');
  await app.getByTestId('egress-filter-provider').selectOption('');
  await expect(rows).toHaveCount(3);
  await app.getByTestId('egress-filter-text').fill('budget');
  await expect(rows).toHaveCount(1);
  await expect(app.getByTestId('egress-ledger-count')).toHaveText('Showing 1 of 1 request');
  await app.getByTestId('egress-filter-clear').click();
  await expect(rows).toHaveCount(3);
  await app.getByTestId('egress-filter-scope').selectOption('current');
  await expect(rows).toHaveCount(2);
  await expect(app.getByTestId('egress-chart-bar').last()).toHaveAttribute('data-count', '2');
  await app.getByTestId('egress-filter-scope').selectOption('all');
  const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
  await app.getByTestId('egress-filter-from').fill(day);
  await expect(app.getByTestId('egress-ledger-no-matches')).toBeVisible();
  await app.getByTestId('egress-filter-clear').click();
  await expect(rows).toHaveCount(3);

  // Exports: everything under the filter, as files.
  const [jsonDownload] = await Promise.all([app.waitForEvent('download'), app.getByTestId('egress-export-json').click()]);
  expect(jsonDownload.suggestedFilename()).toMatch(/^enclave-egress-.*\.json$/);
  const exported = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8')) as {
    provider: string;
    payload: unknown;
    entityCounts: object;
  }[];
  expect(exported.map((record) => record.provider)).toEqual(['other', 'fake', 'fake']);
  expect(exported[2]!.entityCounts).toEqual({ PERSON: 1, EMAIL: 1 });
  expect(JSON.stringify(exported[2]!.payload)).toContain('[EMAIL_1]');

  await app.getByTestId('egress-filter-provider').selectOption('fake');
  await expect(rows).toHaveCount(2);
  const [csvDownload] = await Promise.all([app.waitForEvent('download'), app.getByTestId('egress-export-csv').click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/^enclave-egress-.*\.csv$/);
  const csv = readFileSync((await csvDownload.path())!, 'utf8');
  const [header, firstRow] = csv.split('\n');
  expect(header).toBe(
    'id,createdAt,provider,model,conversationId,source,privacyMode,status,error,promptTokens,completionTokens,costUsd,entityCounts,payload'
  );
  const fakeIds = harness.enclave.egressLedger.list({ provider: 'fake' }).records.map((record) => record.id);
  expect(firstRow!.startsWith(`${fakeIds[0]},`)).toBe(true);
  expect(firstRow).toContain(',fake,gpt-fake-1,');
  expect(firstRow).toContain(',chat,redact,completed,');
  for (const id of fakeIds) expect(csv).toContain(id);
  expect(csv).not.toContain(',other,');
});

test('egress ledger pages with "Load more"', async ({ app, harness }) => {
  for (let index = 0; index < 60; index++)
    harness.enclave.egressLedger.record({
      provider: index % 2 ? 'alpha' : 'beta',
      model: `model-${index}`,
      conversationId: null,
      source: 'api',
      privacyMode: 'redact',
      payload: { messages: [{ role: 'user', content: `request number ${index}` }] },
      entityCounts: {}
    });
  await app.getByTestId('open-egress-ledger').click();
  await expect(app.getByTestId('egress-row')).toHaveCount(50);
  await expect(app.getByTestId('egress-ledger-count')).toHaveText('Showing 50 of 60 requests');
  await expect(app.getByTestId('egress-row').first()).toContainText('model-59');
  await app.getByTestId('egress-load-more').click();
  await expect(app.getByTestId('egress-row')).toHaveCount(60);
  await expect(app.getByTestId('egress-load-more')).toHaveCount(0);
  await expect(app.getByTestId('egress-row').last()).toContainText('model-0');
});
