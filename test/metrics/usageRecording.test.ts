import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../src-main/core/cloud/routingErrors';
import { EgressBlockedError } from '../../src-main/core/egress/errors';
import type { Enclave } from '../../src-main/core/Enclave';
import { startApiServer } from '../../src-main/server';
import { useTempDir } from '../support/tempDir';
import { ensureTestModel } from '../support/writeTestModel';
import { useCloudFixture } from '../cloud/support';

// Every request reaches the usage log through the core, whoever asked: the app's ChatService, the API's chat
// and raw completions, a cloud model through the gate, and refusals by the privacy switch and the budget.

const tempDir = useTempDir('enclave-usage-');
const cloudFixture = useCloudFixture(tempDir);
const UTC = { timeZone: 'UTC', savingsModel: null };

function rows(enclave: Enclave) {
  return enclave.metrics.stats(UTC).models;
}

describe('usage log', () => {
  it('counts a local reply from the app, an API chat completion and an API raw completion, each with its tokens and timings', async () => {
    const { enclave } = await cloudFixture();
    const model = await enclave.engine.loadModel({ path: await ensureTestModel(), threads: 1, contextSize: 2048 });
    const conversation = enclave.chat.createConversation();
    enclave.conversations.updateSettings(conversation.id, { sampling: { maxTokens: 5 } });
    const reply = (await enclave.chat.send(conversation.id, 'hello').finished)!;
    expect(reply.status).toBe('complete');

    const server = await startApiServer(enclave, { host: '127.0.0.1', port: 0 });
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: enclave.apiTokens.token(), maxRetries: 0 });
    try {
      const chat = await client.chat.completions.create({ model: model.id, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 3 });
      const raw = await client.completions.create({ model: model.id, prompt: 'Once upon', max_tokens: 4 });

      const stats = enclave.metrics.stats(UTC);
      expect(stats.sources).toEqual([
        { source: 'api', requests: 2, promptTokens: chat.usage!.prompt_tokens + raw.usage!.prompt_tokens, completionTokens: 7 },
        { source: 'app', requests: 1, promptTokens: reply.metrics!.promptTokens, completionTokens: 5 }
      ]);
      expect(stats.totals).toMatchObject({ requests: 3, answered: 3, localRequests: 3, cloudRequests: 0, costUsd: 0, sentToCloud: 0 });
      const [local] = rows(enclave);
      expect(local).toMatchObject({ model: model.id, provider: null, location: 'local', requests: 3 });
      expect(local!.ttftP50Ms).toBeGreaterThan(0);
      expect(local!.tokensPerSecondP50).toBeGreaterThan(0);
      const stored = enclave.metrics.stats(UTC).modelDays[0]!;
      expect(stored.promptTokens).toBe(reply.metrics!.promptTokens + chat.usage!.prompt_tokens + raw.usage!.prompt_tokens);
    } finally {
      await server.close();
    }
  });

  it('a cloud reply counts its cost and the entities redacted; the privacy switch and the budget count as blocked', async () => {
    const { enclave, addFake } = await cloudFixture();
    await addFake('acme', 'openai');
    const conversation = enclave.chat.createConversation();
    enclave.chat.updateSettings(conversation.id, { model: 'acme/gpt-fake-1' });
    const reply = (await enclave.chat.send(conversation.id, 'Write to jane.doe@example.com about the invoice').finished)!;
    expect(reply.status).toBe('complete');
    const [record] = enclave.egressLedger.list().records;
    expect(record!.entityCounts).toEqual({ EMAIL: 1 });

    // Local only: the app's send is refused before anything is saved, and counted.
    enclave.privacy.updateSettings({ mode: 'local-only' });
    expect(() => enclave.chat.send(conversation.id, 'And again')).toThrow(EgressBlockedError);
    enclave.privacy.updateSettings({ mode: 'redact' });
    // A spent budget refuses the API's request at the router.
    enclave.router.updateSettings({ monthlyBudgetUsd: 0 });
    const request = {
      conversationId: null,
      requested: 'acme/gpt-fake-1',
      policy: null,
      privacyMode: null,
      turns: [{ role: 'user' as const, content: 'Hi' }],
      sampling: {},
      source: 'api' as const
    };
    await expect(enclave.router.generate(request)).rejects.toThrow(BudgetExceededError);

    const stats = enclave.metrics.stats(UTC);
    expect(stats.totals).toMatchObject({
      requests: 3,
      answered: 1,
      blocked: 2,
      cloudRequests: 3,
      sentToCloud: 1,
      blockedByPrivacy: 1,
      blockedByBudget: 1,
      redactedEntities: 1,
      promptTokens: reply.metrics!.promptTokens,
      completionTokens: reply.metrics!.completionTokens,
      costUsd: reply.metrics!.costUsd
    });
    expect(stats.sources.map(({ source, requests }) => [source, requests])).toEqual([
      ['app', 2],
      ['api', 1]
    ]);
    expect(stats.entityDays.map(({ type, count }) => [type, count])).toEqual([['EMAIL', 1]]);
    expect(rows(enclave)).toEqual([
      expect.objectContaining({ model: 'acme/gpt-fake-1', provider: 'acme', location: 'cloud', requests: 3, answered: 1, blocked: 2 })
    ]);
  });

  it('a reply stopped mid-way counts as stopped, with the tokens it produced', async () => {
    const { enclave } = await cloudFixture();
    await enclave.engine.loadModel({ path: await ensureTestModel(), threads: 1, contextSize: 2048 });
    const conversation = enclave.chat.createConversation();
    enclave.conversations.updateSettings(conversation.id, { sampling: { maxTokens: 400 } });
    const exchange = enclave.chat.send(conversation.id, 'Tell me a long story');
    const unsubscribe = enclave.events.on('chatToken', () => enclave.chat.stop(conversation.id));
    const reply = (await exchange.finished)!;
    unsubscribe();
    expect(reply.status).toBe('stopped');
    const stats = enclave.metrics.stats(UTC);
    expect(stats.totals).toMatchObject({ requests: 1, stopped: 1, answered: 0, completionTokens: reply.metrics!.completionTokens });
    // A stopped reply's speed is not a measure of the model.
    expect(stats.models[0]!.tokensPerSecondP50).toBeNull();
  });
});
