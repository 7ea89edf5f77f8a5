// The privacy gate: with the switch on Redact no cloud code path lets planted personal data out; detection
// failure sends nothing; Off needs confirmation. egressPaths.test.ts shows there is no path around it.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { PiiDetector } from '../../src-main/core/privacy/PiiDetector';
import { EgressBlockedError } from '../../src-main/core/egress/errors';
import { PrivacyOffNotConfirmedError } from '../../src-main/core/privacy/errors';
import { startApiServer } from '../../src-main/server';
import { useTempDir } from '../support/tempDir';
import type { RecordedRequest } from '../support/fakeProviders';
import { chatRequests, useCloudFixture, type CloudFixture } from './support';
import type { ProviderKind } from '../../src-main/core/providers/CloudClient';

const tempDir = useTempDir('enclave-gate-');
const cloudFixture = useCloudFixture(tempDir);

const PLANTED = {
  name: 'Siobhan Okonkwo-Lindqvist',
  email: 'siobhan.ol@example.org',
  phone: '+44 20 7946 0958',
  card: '4111 1111 1111 1111',
  iban: 'DE89 3704 0044 0532 0130 00',
  ssn: '536-22-8714',
  secret: 'sk-proj-Zq8vN3mK9pL2xR7tY4wB6cD1fG5hJ0aS'
};
const plantedValues = Object.values(PLANTED);
const bodyLeaks = (request: RecordedRequest) =>
  plantedValues.filter((value) => request.rawBody.includes(value) || request.rawBody.includes(value.replace(/\s/g, '')));

/** A reply that repeats the request's last user message, placeholders included, so restoring can be checked. */
const echo = { reply: (request: RecordedRequest) => `Noted: ${lastUserText(request)}` };

function lastUserText(request: RecordedRequest): string {
  const body = request.body;
  if (Array.isArray(body?.messages)) {
    const content = body.messages.filter((m: { role: string }) => m.role === 'user').at(-1)?.content;
    return typeof content === 'string' ? content : (content?.map((part: { text?: string }) => part.text ?? '').join('') ?? '');
  }
  const parts = body?.contents?.filter((c: { role: string }) => c.role === 'user').at(-1)?.parts ?? [];
  return parts.map((part: { text?: string }) => part.text ?? '').join('');
}

async function conversationWithPii(fixture: CloudFixture, model: string) {
  const { enclave } = fixture;
  const conversation = enclave.conversations.create({ systemPrompt: `You help ${PLANTED.name}; their SSN is ${PLANTED.ssn}.` });
  enclave.chat.updateSettings(conversation.id, { model });
  return conversation;
}

describe('egress gate', () => {
  for (const kind of ['openai', 'anthropic', 'gemini'] as ProviderKind[]) {
    it(`on Redact, no chat path sends planted PII to ${kind}, and replies come back restored`, async () => {
      const fixture = await cloudFixture();
      const { enclave } = fixture;
      const fake = await fixture.addFake('cloud', kind, echo);
      const model = kind === 'openai' ? 'gpt-fake-1' : kind === 'anthropic' ? 'claude-fake-1' : 'gemini-fake-1';
      const conversation = await conversationWithPii(fixture, `cloud/${model}`);
      const message = `Email ${PLANTED.email} or call ${PLANTED.phone}; card ${PLANTED.card}, IBAN ${PLANTED.iban}, key ${PLANTED.secret}.`;

      const first = await enclave.chat.send(conversation.id, message).finished;
      expect(first?.status).toBe('complete');
      // The reply names the placeholders the model saw; the user reads the original values.
      expect(first?.content).toBe(`Noted: ${message}`);
      const regenerated = await enclave.chat.regenerate(conversation.id).finished;
      expect(regenerated?.content).toBe(`Noted: ${message}`);
      const userMessage = enclave.conversations.get(conversation.id).messages.at(-2)!;
      const edited = await enclave.chat.editAndResend(userMessage.id, `Again: ${PLANTED.name}, ${PLANTED.email}`).finished;
      expect(edited?.content).toBe(`Noted: Again: ${PLANTED.name}, ${PLANTED.email}`);

      const requests = chatRequests(fake);
      expect(requests).toHaveLength(3);
      for (const request of requests) {
        expect(bodyLeaks(request)).toEqual([]);
        expect(request.rawBody).toMatch(/\[EMAIL_1\]/);
        expect(request.rawBody).toMatch(/\[PERSON_1\]/);
        expect(request.rawBody).toMatch(/placeholders/); // the system message explains them
      }
      // The same value keeps its placeholder across the conversation and across requests.
      expect(lastUserText(requests[2]!)).toBe('Again: [PERSON_1], [EMAIL_1]');
      // The ledger holds exactly what left, with its entity counts.
      const records = enclave.egressLedger.list({ provider: 'cloud' }).records;
      expect(records).toHaveLength(3);
      for (const record of records) {
        expect(plantedValues.some((value) => record.payload.includes(value))).toBe(false);
        expect(record.entityCounts.EMAIL).toBeGreaterThanOrEqual(1);
        expect(record.privacyMode).toBe('redact');
      }
    });
  }

  it('on Redact, the HTTP API sends no planted PII to a cloud model (streamed and not)', async () => {
    const fixture = await cloudFixture();
    const fake = await fixture.addFake('cloud', 'openai', echo);
    const server = await startApiServer(fixture.enclave, { host: '127.0.0.1', port: 0 });
    try {
      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: fixture.enclave.apiTokens.token(), maxRetries: 0 });
      const messages = [
        { role: 'system' as const, content: `Assistant for ${PLANTED.name}.` },
        { role: 'user' as const, content: `My card is ${PLANTED.card} and my email ${PLANTED.email}.` }
      ];
      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).toContain('cloud/gpt-fake-1');

      const plain = await client.chat.completions.create({ model: 'cloud/gpt-fake-1', messages });
      expect(plain.choices[0]!.message.content).toBe(`Noted: ${messages[1]!.content}`);
      expect(plain.usage!.prompt_tokens).toBeGreaterThan(0);

      const stream = await client.chat.completions.create({ model: 'cloud/gpt-fake-1', messages, stream: true });
      let streamed = '';
      for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
      expect(streamed).toBe(`Noted: ${messages[1]!.content}`);

      expect(chatRequests(fake)).toHaveLength(2);
      for (const request of chatRequests(fake)) expect(bodyLeaks(request)).toEqual([]);
      expect(fixture.enclave.egressLedger.list({ provider: 'cloud' }).records.map((r) => r.source)).toEqual(['api', 'api']);
    } finally {
      await server.close();
    }
  });

  it('the HTTP API answers Local only with 403, an exceeded budget with 402 and a dead provider with 502, sending nothing it should not', async () => {
    const fixture = await cloudFixture();
    const fake = await fixture.addFake('cloud', 'openai');
    const server = await startApiServer(fixture.enclave, { host: '127.0.0.1', port: 0 });
    const post = (model: string) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fixture.enclave.apiTokens.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: `Hi, ${PLANTED.email}` }] })
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { error: { code: string; message: string } }
      }));
    try {
      fixture.enclave.privacy.updateSettings({ mode: 'local-only' });
      expect(await post('cloud/gpt-fake-1')).toMatchObject({ status: 403, body: { error: { code: 'egress_blocked' } } });
      fixture.enclave.privacy.updateSettings({ mode: 'redact' });
      fixture.enclave.router.updateSettings({ monthlyBudgetUsd: 0 });
      expect(await post('cloud/gpt-fake-1')).toMatchObject({ status: 402, body: { error: { code: 'budget_exceeded' } } });
      expect(fake.requests).toHaveLength(0);
      fixture.enclave.router.updateSettings({ monthlyBudgetUsd: null, maxRetries: 0 });
      fake.fault({ status: 500 });
      expect(await post('cloud/gpt-fake-1')).toMatchObject({ status: 502 });
      expect(await post('nobody/model')).toMatchObject({ status: 404, body: { error: { code: 'model_not_found' } } });
      const tools = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fixture.enclave.apiTokens.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'cloud/gpt-fake-1',
          messages: [{ role: 'user', content: 'x' }],
          tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }]
        })
      });
      expect(tools.status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it('fails closed: when detection throws, nothing reaches the provider and the user sees why', async () => {
    class BrokenDetector extends PiiDetector {
      override async detect(): Promise<never> {
        throw new Error('detector crashed');
      }
    }
    const fixture = await cloudFixture({ privacy: { createDetector: (options) => new BrokenDetector(options) } });
    const fake = await fixture.addFake('cloud', 'openai');
    const conversation = await conversationWithPii(fixture, 'cloud/gpt-fake-1');

    const reply = await fixture.enclave.chat.send(conversation.id, `Hi, I am ${PLANTED.name}`).finished;

    expect(reply?.status).toBe('error');
    expect(reply?.error).toMatch(/detection failed \(detector crashed\), so nothing was sent/);
    expect(fake.requests).toHaveLength(0);
    expect(fixture.enclave.egressLedger.list().total).toBe(0);
    const preview = await fixture.enclave.chat.preview(conversation.id, 'hello');
    expect(preview.blockedReason).toMatch(/nothing was sent/);
  });

  it('fails closed when detection runs out of time', async () => {
    const fixture = await cloudFixture({ privacy: { timeBudgetMs: 1 } });
    const fake = await fixture.addFake('cloud', 'anthropic');
    await expect(
      fixture.enclave.router.generate(
        {
          conversationId: null,
          requested: 'cloud/claude-fake-1',
          policy: null,
          privacyMode: null,
          turns: [{ role: 'user', content: `${PLANTED.name} lives at 221B Baker Street, London. `.repeat(5_000) }],
          sampling: {},
          source: 'api'
        },
        {}
      )
    ).rejects.toSatisfy((error: unknown) => error instanceof EgressBlockedError && /time budget/.test(error.message));
    expect(fake.requests).toHaveLength(0);
  });

  it('Off sends raw text only after explicit confirmation, and records it as Off', async () => {
    const fixture = await cloudFixture();
    const fake = await fixture.addFake('cloud', 'openai');
    const conversation = await conversationWithPii(fixture, 'cloud/gpt-fake-1');
    expect(() => fixture.enclave.privacy.updateSettings({ mode: 'off' })).toThrow(PrivacyOffNotConfirmedError);
    expect(() => fixture.enclave.chat.updateSettings(conversation.id, { privacyMode: 'off' })).toThrow(PrivacyOffNotConfirmedError);
    expect(fixture.enclave.privacy.settings.mode).toBe('redact');

    fixture.enclave.chat.updateSettings(conversation.id, { privacyMode: 'off', confirmPrivacyOff: true });
    await fixture.enclave.chat.send(conversation.id, `Mail ${PLANTED.email}`).finished;

    const [request] = chatRequests(fake);
    expect(request!.rawBody).toContain(PLANTED.email);
    expect(request!.rawBody).not.toMatch(/placeholders/);
    expect(fixture.enclave.egressLedger.list().records[0]).toMatchObject({ privacyMode: 'off', entityCounts: {} });
  });

  it('the preview shows exactly what would leave; an un-redacted entity is sent as written, the rest stay hidden', async () => {
    const fixture = await cloudFixture();
    const fake = await fixture.addFake('cloud', 'openai');
    const conversation = await conversationWithPii(fixture, 'cloud/gpt-fake-1');
    const text = `Ask ${PLANTED.name} to email ${PLANTED.email}`;

    const preview = await fixture.enclave.chat.preview(conversation.id, text);
    expect(preview).toMatchObject({ target: 'cloud/gpt-fake-1', mode: 'redact', blockedReason: null });
    const last = preview.messages.at(-1)!;
    expect(last.text).toBe('Ask [PERSON_1] to email [EMAIL_1]');
    const email = last.redactions.find((r) => r.type === 'EMAIL')!;
    expect(last.text.slice(email.start, email.end)).toBe('[EMAIL_1]');
    expect(email.original).toBe(PLANTED.email);
    expect(fake.requests).toHaveLength(0); // previewing sends nothing

    const unredacted = await fixture.enclave.chat.preview(conversation.id, text, { unredact: ['[EMAIL_1]'] });
    expect(unredacted.messages.at(-1)!.text).toBe(`Ask [PERSON_1] to email ${PLANTED.email}`);
    expect(unredacted.entityCounts.EMAIL ?? 0).toBe(0);

    await fixture.enclave.chat.send(conversation.id, text, { unredact: ['[EMAIL_1]'] }).finished;
    const body = chatRequests(fake)[0]!.rawBody;
    expect(body).toContain(PLANTED.email);
    expect(body).not.toContain(PLANTED.name);

    // A dictionary term is redacted from then on; a never-redact term is left alone.
    fixture.enclave.privacy.addTerm('Project Nightjar', 'alwaysRedact');
    fixture.enclave.privacy.addTerm(PLANTED.name, 'neverRedact');
    const withTerms = await fixture.enclave.chat.preview(conversation.id, `Project Nightjar for ${PLANTED.name}`);
    expect(withTerms.messages.at(-1)!.text).toBe(`[CUSTOM_1] for ${PLANTED.name}`);
  });
});
