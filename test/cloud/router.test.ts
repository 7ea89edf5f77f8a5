import { describe, expect, it } from 'vitest';
import { EgressBlockedError } from '../../src-main/core/egress/errors';
import { BudgetExceededError, NoRouteError } from '../../src-main/core/cloud/routingErrors';
import OpenAI from 'openai';
import { startApiServer } from '../../src-main/server';
import { closedPortUrl } from '../support/fakeProviders';
import { useTempDir } from '../support/tempDir';
import { ensureTestModel } from '../support/writeTestModel';
import { chatRequests, useCloudFixture } from './support';

const tempDir = useTempDir('enclave-router-');
const cloudFixture = useCloudFixture(tempDir);

describe('model router', () => {
  it('answers with a fixed cloud model, streams the reply, and stores model, route, tokens and cost', async () => {
    const { enclave, addFake } = await cloudFixture();
    const fake = await addFake('acme', 'openai');
    const conversation = enclave.conversations.create();
    enclave.chat.updateSettings(conversation.id, { model: 'acme/gpt-fake-1' });
    const tokens: string[] = [];
    enclave.events.on('chatToken', ({ text }) => tokens.push(text));

    const reply = await enclave.chat.send(conversation.id, 'What is the boiling point of water?').finished;

    expect(reply?.status).toBe('complete');
    expect(reply?.content).toBe('You said: What is the boiling point of water?');
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.join('')).toBe(reply?.content);
    const metrics = reply!.metrics!;
    expect(metrics).toMatchObject({ model: 'acme/gpt-fake-1', backend: 'cloud', provider: 'acme' });
    const sent = chatRequests(fake)[0]!.body;
    expect(sent.model).toBe('gpt-fake-1');
    // The fake counts a quarter of the characters; the price is $1 in / $2 out per million.
    expect(metrics.promptTokens).toBeGreaterThan(0);
    expect(metrics.costUsd).toBeCloseTo((metrics.promptTokens * 1 + metrics.completionTokens * 2) / 1e6, 12);
    expect(metrics.route).toMatchObject({ requested: 'acme/gpt-fake-1', answeredBy: 'acme/gpt-fake-1', privacyMode: 'redact' });
    expect(metrics.route!.attempts.at(-1)).toMatchObject({ target: 'acme/gpt-fake-1', outcome: 'answered' });

    // What survives a reload: the stored reply carries the same figures.
    expect(enclave.conversations.get(conversation.id).messages.at(-1)!.metrics).toEqual(metrics);
    const [record] = enclave.egressLedger.list().records;
    expect(record).toMatchObject({ provider: 'acme', model: 'gpt-fake-1', status: 'completed', source: 'chat', costUsd: metrics.costUsd });
    expect(record!.promptTokens).toBe(metrics.promptTokens);
  });

  it('decides for the API as for the app: local by id or "local", auto with tools locally, a cloud model with tools or JSON refused', async () => {
    const { enclave, addFake } = await cloudFixture();
    const fake = await addFake('acme', 'openai');
    enclave.router.updateSettings({ cloudChain: ['acme/gpt-fake-1'], policy: 'cloud-preferred' });
    await enclave.engine.loadModel({ path: await ensureTestModel(), threads: 1, contextSize: 2048 });
    const server = await startApiServer(enclave, { host: '127.0.0.1', port: 0 });
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: enclave.apiTokens.token(), maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'Hi' }];
    const tools = [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }];
    try {
      for (const model of [enclave.engine.loadedModel!.id, 'local']) {
        const reply = await client.chat.completions.create({ model, messages, max_tokens: 3, temperature: 0 });
        expect(reply.model).toBe(model);
        expect(reply.usage?.completion_tokens).toBe(3);
      }
      // Cloud preferred, but tool calls are local-only grammar work: auto hands them to the local model.
      const called = await client.chat.completions.create({ model: 'auto', messages, tools, tool_choice: 'required', max_tokens: 32 });
      expect(called.choices[0]!.finish_reason).toBe('tool_calls');
      expect(called.choices[0]!.message.tool_calls?.[0]).toMatchObject({ function: { name: 'lookup' } });
      // Plain auto follows the policy to the cloud.
      const routed = await client.chat.completions.create({ model: 'auto', messages });
      expect(routed.choices[0]!.message.content).toBe('You said: Hi');
      expect(chatRequests(fake)).toHaveLength(1);

      const refusal = (body: object) =>
        client.chat.completions.create({ model: 'acme/gpt-fake-1', messages, ...body }).catch((e: unknown) => e);
      expect(await refusal({ tools })).toMatchObject({ status: 400, code: 'local_only_feature', param: 'tools' });
      expect(await refusal({ response_format: { type: 'json_object' } })).toMatchObject({
        status: 400,
        code: 'local_only_feature',
        param: 'response_format'
      });
      expect(await client.chat.completions.create({ model: 'other-model', messages }).catch((e: unknown) => e)).toMatchObject({
        status: 404,
        code: 'model_not_found'
      });
      expect(chatRequests(fake)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('falls back along the chain on 5xx after retrying, and says so on the reply', async () => {
    const { enclave, addFake, sleeps } = await cloudFixture();
    const broken = await addFake('broken', 'openai');
    const backup = await addFake('backup', 'anthropic');
    broken.fault({ status: 500 });
    enclave.router.updateSettings({ cloudChain: ['backup/claude-fake-1'], maxRetries: 2 });
    const conversation = enclave.conversations.create();
    enclave.chat.updateSettings(conversation.id, { model: 'broken/gpt-fake-1' });

    const reply = await enclave.chat.send(conversation.id, 'Hello there').finished;

    expect(reply?.status).toBe('complete');
    expect(reply?.content).toBe('You said: Hello there');
    expect(chatRequests(broken)).toHaveLength(3); // the first try and two retries, no SDK retries on top
    expect(chatRequests(backup)).toHaveLength(1);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]!).toBeGreaterThan(sleeps[0]! * 1.3); // exponential backoff
    const route = reply!.metrics!.route!;
    expect(route.answeredBy).toBe('backup/claude-fake-1');
    expect(route.attempts.filter((a) => a.target === 'broken/gpt-fake-1' && a.outcome === 'failed')).toHaveLength(3);
    expect(route.attempts.at(-1)).toMatchObject({ target: 'backup/claude-fake-1', outcome: 'answered' });
    expect(reply!.metrics!.costUsd).toBeGreaterThan(0);
  });

  it('honours Retry-After on 429 and then succeeds with the same provider', async () => {
    const { enclave, addFake, sleeps } = await cloudFixture();
    const fake = await addFake('acme', 'openai');
    fake.faults({ status: 429, retryAfter: '7' });
    const conversation = enclave.conversations.create();
    enclave.chat.updateSettings(conversation.id, { model: 'acme/gpt-fake-1' });

    const reply = await enclave.chat.send(conversation.id, 'Hi').finished;

    expect(reply?.status).toBe('complete');
    expect(sleeps).toEqual([7000]);
    expect(chatRequests(fake)).toHaveLength(2);
    expect(reply!.metrics!.route!.attempts.map((a) => a.outcome)).toEqual(['failed', 'answered']);
  });

  it('moves on instead of waiting when Retry-After is longer than the router will wait', async () => {
    const { enclave, addFake, sleeps } = await cloudFixture();
    const slow = await addFake('slow', 'openai');
    await addFake('other', 'gemini');
    slow.fault({ status: 429, retryAfter: '3600' });
    enclave.router.updateSettings({ cloudChain: ['other/gemini-fake-1'] });
    const conversation = enclave.conversations.create();
    enclave.chat.updateSettings(conversation.id, { model: 'slow/gpt-fake-1' });

    const reply = await enclave.chat.send(conversation.id, 'Hi').finished;

    expect(sleeps).toEqual([]);
    expect(reply!.metrics!.route!.answeredBy).toBe('other/gemini-fake-1');
    expect(reply!.metrics!.route!.attempts[0]!.detail).toMatch(/wait 3600 s/);
  });

  it('cools a provider down after repeated failures and skips it until then', async () => {
    const { enclave, addFake } = await cloudFixture({ providerHealth: { failuresBeforeCooldown: 2, cooldownMs: 60_000 } });
    const flaky = await addFake('flaky', 'openai');
    await addFake('steady', 'anthropic');
    flaky.fault({ status: 503 });
    enclave.router.updateSettings({ cloudChain: ['steady/claude-fake-1'], maxRetries: 0 });
    const conversation = enclave.conversations.create();
    enclave.chat.updateSettings(conversation.id, { model: 'flaky/gpt-fake-1' });

    await enclave.chat.send(conversation.id, 'one').finished;
    await enclave.chat.send(conversation.id, 'two').finished;
    expect(chatRequests(flaky)).toHaveLength(2);
    const third = await enclave.chat.send(conversation.id, 'three').finished;

    expect(chatRequests(flaky)).toHaveLength(2); // skipped while cooling down
    expect(third!.metrics!.route!.attempts[0]).toMatchObject({ target: 'flaky/gpt-fake-1', outcome: 'skipped' });
    expect(third!.metrics!.route!.attempts[0]!.detail).toMatch(/cooling down/);
    const [flakyInfo] = (await enclave.cloud.listProviders()).filter((p) => p.name === 'flaky');
    expect(flakyInfo!.health.state).toBe('cooling-down');
    const picker = await enclave.cloud.chatModels();
    expect(picker.find((o) => o.ref === 'flaky/gpt-fake-1')).toMatchObject({ available: false });
  });

  it('refuses a request that would exceed the monthly budget, before anything is sent', async () => {
    const { enclave, addFake } = await cloudFixture();
    const fake = await addFake('acme', 'openai');
    const conversation = enclave.conversations.create();
    enclave.chat.updateSettings(conversation.id, { model: 'acme/gpt-fake-1' });
    await enclave.chat.send(conversation.id, 'first, within budget').finished;
    const spent = enclave.egressLedger.spentUsd(0, 'acme');
    expect(spent).toBeGreaterThan(0);

    enclave.router.updateSettings({ providerBudgetsUsd: { acme: spent + 1e-7 } });
    const refused = await enclave.chat.send(conversation.id, 'second, over budget').finished;

    expect(refused?.status).toBe('error');
    expect(refused?.error).toMatch(/monthly budget for acme/);
    expect(chatRequests(fake)).toHaveLength(1);

    enclave.router.updateSettings({ providerBudgetsUsd: {}, monthlyBudgetUsd: 0 });
    await expect(
      enclave.router.generate(
        {
          conversationId: null,
          requested: 'acme/gpt-fake-1',
          policy: null,
          privacyMode: null,
          turns: [{ role: 'user', content: 'x' }],
          sampling: {},
          source: 'api'
        },
        {}
      )
    ).rejects.toBeInstanceOf(BudgetExceededError);
    expect(chatRequests(fake)).toHaveLength(1);
  });

  it('with "use local" chosen, routes an over-budget request to the local model', async () => {
    const { enclave, addFake } = await cloudFixture();
    const fake = await addFake('acme', 'openai');
    await enclave.engine.loadModel({ path: await ensureTestModel(), threads: 1, contextSize: 512 });
    enclave.router.updateSettings({ monthlyBudgetUsd: 0, onBudgetExceeded: 'local' });
    const conversation = enclave.conversations.create({ sampling: { maxTokens: 4 } });
    enclave.chat.updateSettings(conversation.id, { model: 'acme/gpt-fake-1' });

    const reply = await enclave.chat.send(conversation.id, 'hello').finished;

    expect(reply?.status).toBe('complete');
    expect(reply!.metrics!.backend).not.toBe('cloud');
    expect(reply!.metrics!.route!.answeredBy).toBe('local');
    expect(reply!.metrics!.route!.attempts[0]).toMatchObject({ target: 'acme/gpt-fake-1', outcome: 'skipped' });
    expect(chatRequests(fake)).toHaveLength(0);
  });

  it('offline: a cloud-preferred conversation falls back to local, and the picker marks the cloud model unavailable', async () => {
    const { enclave } = await cloudFixture();
    await enclave.cloud.addProvider({ name: 'gone', kind: 'openai-compatible', baseUrl: `${await closedPortUrl()}/v1` });
    await enclave.engine.loadModel({ path: await ensureTestModel(), threads: 1, contextSize: 512 });
    enclave.router.updateSettings({ cloudChain: ['gone/some-model'], maxRetries: 1 });
    const conversation = enclave.conversations.create({ sampling: { maxTokens: 4 } });
    enclave.chat.updateSettings(conversation.id, { model: 'auto', routePolicy: 'cloud-preferred' });

    const reply = await enclave.chat.send(conversation.id, 'hello').finished;

    expect(reply?.status).toBe('complete');
    expect(reply!.metrics!.route).toMatchObject({ requested: 'auto', policy: 'cloud-preferred', answeredBy: 'local' });
    expect(reply!.metrics!.route!.attempts[0]).toMatchObject({ target: 'gone/some-model', outcome: 'failed' });
    expect(reply!.metrics!.route!.attempts[0]!.detail).toMatch(/unreachable/);
    const info = (await enclave.cloud.listProviders())[0]!;
    expect(info.health.state).toBe('unreachable');
    const test = await enclave.cloud.test('gone');
    expect(test).toMatchObject({ ok: false });
    expect(test.error).toMatch(/unreachable/);
  });

  it('keeps the partial text of a stream cut mid-way, marks the reply failed, and does not start over elsewhere', async () => {
    const { enclave, addFake } = await cloudFixture();
    const fake = await addFake('acme', 'openai');
    const backup = await addFake('backup', 'anthropic');
    fake.fault({ kind: 'cut', afterChunks: 3 });
    enclave.router.updateSettings({ cloudChain: ['backup/claude-fake-1'] });
    const conversation = enclave.conversations.create();
    enclave.chat.updateSettings(conversation.id, { model: 'acme/gpt-fake-1' });

    const reply = await enclave.chat.send(conversation.id, 'tell me a long story').finished;

    expect(reply?.status).toBe('error');
    expect(reply?.content.length).toBeGreaterThan(0);
    expect('You said: tell me a long story'.startsWith(reply!.content)).toBe(true);
    expect(reply?.error).toMatch(/broke off/);
    expect(chatRequests(backup)).toHaveLength(0);
    expect(enclave.egressLedger.list().records[0]).toMatchObject({ status: 'failed' });
  });

  it('a slow provider ends in a timeout error, not a hang', async () => {
    const { enclave, addFake } = await cloudFixture();
    const fake = await addFake('acme', 'gemini');
    fake.fault({ kind: 'slow', delayMs: 5_000 });
    enclave.router.updateSettings({ timeoutMs: 1_000 });
    const conversation = enclave.conversations.create();
    enclave.chat.updateSettings(conversation.id, { model: 'acme/gemini-fake-1' });

    const reply = await enclave.chat.send(conversation.id, 'hello').finished;

    expect(reply?.status).toBe('error');
    expect(reply?.error).toMatch(/did not respond within 1000 ms/);
    expect(chatRequests(fake)).toHaveLength(1); // a timeout is not retried on the same provider
  });

  it('local first: a prompt longer than the local context goes to the cloud; the user can also ask for the cloud once', async () => {
    const { enclave, addFake } = await cloudFixture();
    const fake = await addFake('acme', 'openai');
    await enclave.engine.loadModel({ path: await ensureTestModel(), threads: 1, contextSize: 256 });
    enclave.router.updateSettings({ cloudChain: ['acme/gpt-fake-1'] });
    const conversation = enclave.conversations.create({ sampling: { maxTokens: 4 } });
    enclave.chat.updateSettings(conversation.id, { model: 'auto', routePolicy: 'local-first' });

    const short = await enclave.chat.send(conversation.id, 'hi').finished;
    expect(short!.metrics!.route!.answeredBy).toBe('local');
    expect(chatRequests(fake)).toHaveLength(0);

    const long = await enclave.chat.send(conversation.id, 'lorem ipsum '.repeat(200)).finished;
    expect(long!.metrics!.route!.answeredBy).toBe('acme/gpt-fake-1');
    expect(long!.metrics!.route!.reason).toMatch(/longer than the local context/);

    const asked = await enclave.chat.send(conversation.id, 'short again', { useCloud: true }).finished;
    expect(asked!.metrics!.route).toMatchObject({ answeredBy: 'acme/gpt-fake-1', reason: 'You asked for a cloud model for this message.' });
    expect(chatRequests(fake)).toHaveLength(2);
  });

  it('refuses up front, saving nothing, when no model can answer', async () => {
    const { enclave } = await cloudFixture();
    const conversation = enclave.conversations.create();
    enclave.chat.updateSettings(conversation.id, { model: 'nobody/model-x' });
    expect(() => enclave.chat.send(conversation.id, 'hello')).toThrow(/no provider named "nobody"/i);
    enclave.chat.updateSettings(conversation.id, { model: 'auto', routePolicy: 'local-first' });
    expect(() => enclave.chat.send(conversation.id, 'hello')).toThrow(/no model is loaded|load a model/i);
    expect(() => enclave.chat.send(conversation.id, 'hello', { useCloud: true })).toThrow(/No cloud model is set up/);
    expect(enclave.conversations.get(conversation.id).messages).toEqual([]);
    expect(() => enclave.chat.updateSettings(conversation.id, { model: 'not a ref' })).toThrow(/is not a model/);
  });

  it('Local only disables cloud models: the send is refused and nothing reaches the provider', async () => {
    const { enclave, addFake } = await cloudFixture();
    const fake = await addFake('acme', 'openai');
    enclave.privacy.updateSettings({ mode: 'local-only' });
    const conversation = enclave.conversations.create();
    enclave.chat.updateSettings(conversation.id, { model: 'acme/gpt-fake-1' });

    expect(() => enclave.chat.send(conversation.id, 'hello')).toThrow(EgressBlockedError);
    await expect(enclave.cloud.test('acme')).resolves.toMatchObject({ ok: false, error: expect.stringMatching(/Local only/) });
    expect((await enclave.cloud.chatModels()).find((o) => o.ref === 'acme/gpt-fake-1')).toMatchObject({
      available: false,
      unavailableReason: 'Privacy is Local only'
    });
    expect(fake.requests).toHaveLength(0);
    expect(enclave.egressLedger.list().total).toBe(0);

    // A conversation's own mode wins over the global one.
    enclave.chat.updateSettings(conversation.id, { privacyMode: 'redact' });
    expect((await enclave.chat.send(conversation.id, 'hello').finished)?.status).toBe('complete');
    expect(chatRequests(fake)).toHaveLength(1);
  });

  it('reports each attempt where it stood in the route, skipped ones included', async () => {
    const { enclave, addFake } = await cloudFixture();
    const first = await addFake('first', 'openai');
    await addFake('second', 'openai');
    first.fault({ status: 500 });
    enclave.router.updateSettings({ cloudChain: ['first/gpt-fake-1', 'second/gpt-fake-1'], maxRetries: 0 });
    const conversation = enclave.conversations.create();
    enclave.chat.updateSettings(conversation.id, { model: 'auto', routePolicy: 'cloud-preferred' });

    const reply = await enclave.chat.send(conversation.id, 'hi').finished;

    // No local model is loaded: it is skipped, and it would have come last.
    expect(reply!.metrics!.route!.attempts.map((a) => `${a.target} ${a.outcome}`)).toEqual([
      'first/gpt-fake-1 failed',
      'second/gpt-fake-1 answered'
    ]);
  });

  it('a provider added under a name used before does not inherit a key left in the keychain', async () => {
    // Two data folders of one user share the OS keychain (env {}: the real one, as in the app).
    const name = `reused-${Date.now().toString(36)}`;
    const first = await cloudFixture({ env: {} });
    await first.enclave.cloud.addProvider({ name, kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' });
    await first.enclave.cloud.setKey(name, 'sk-left-behind-0123456789abcdef');
    expect((await first.enclave.cloud.getProvider(name)).key.set).toBe(true);

    const second = await cloudFixture({ env: {} });
    await second.enclave.cloud.addProvider({ name, kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' });
    expect((await second.enclave.cloud.getProvider(name)).key).toEqual({ set: false, last4: null });
    await second.enclave.cloud.removeProvider(name);
  });

  it('all routes failing gives one error naming every attempt', async () => {
    const { enclave, addFake } = await cloudFixture();
    const a = await addFake('a', 'openai');
    const b = await addFake('b', 'openai');
    a.fault({ status: 500 });
    b.fault({ status: 401 });
    enclave.router.updateSettings({ cloudChain: ['b/gpt-fake-1'], maxRetries: 0 });
    await expect(
      enclave.router.generate(
        {
          conversationId: null,
          requested: 'a/gpt-fake-1',
          policy: null,
          privacyMode: null,
          turns: [{ role: 'user', content: 'x' }],
          sampling: {},
          source: 'api'
        },
        {}
      )
    ).rejects.toSatisfy(
      (error: unknown) => error instanceof NoRouteError && /a\/gpt-fake-1 failed .*500.*b\/gpt-fake-1 failed .*401/.test(error.message)
    );
  });
});
