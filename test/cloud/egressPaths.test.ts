// No path around the gate, checked by behaviour: every outgoing connection this test process opens is
// observed at the socket level (diagnostics_channel 'net.client.socket', which fetch, http and every SDK's
// transport go through). Each must reach a server the test started, and each request a fake provider
// receives must match an egress ledger record that the gate wrote before sending, payload for payload.
import dc from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { EgressRecord } from '../../src-main/core/shared/types';
import { createCloudClient } from '../../src-main/core/providers/createCloudClient';
import type { ProviderKind } from '../../src-main/core/providers/CloudClient';
import { startApiServer } from '../../src-main/server';
import type { FakeProvider, RecordedRequest } from '../support/fakeProviders';
import { useTempDir } from '../support/tempDir';
import { ensureTestModel } from '../support/writeTestModel';
import { useCloudFixture } from './support';

const tempDir = useTempDir('enclave-egress-paths-');
const cloudFixture = useCloudFixture(tempDir);

/** Records the remote port of every client socket that connects while `watch` runs. */
async function watchConnections<T>(watch: () => Promise<T>): Promise<{ result: T; ports: number[] }> {
  const ports: number[] = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    socket.once('connect', () => ports.push(socket.remotePort!));
  };
  dc.subscribe('net.client.socket', onSocket);
  try {
    return { result: await watch(), ports };
  } finally {
    dc.unsubscribe('net.client.socket', onSocket);
  }
}

/** Every string in a JSON body: where each wire format puts the texts of the messages. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * What reached the fakes that the gate did not send: chat requests without a ledger record carrying the same
 * texts, model lists without a key-test record, and connections to anything but the test's own servers.
 */
function unaccounted(fakes: Map<string, FakeProvider>, records: EgressRecord[], ports: number[], ownPorts: number[]): string[] {
  const problems: string[] = [];
  const known = new Set([...ownPorts, ...[...fakes.values()].map((fake) => Number(new URL(fake.baseUrl).port))]);
  for (const port of ports) if (!known.has(port)) problems.push(`a connection to port ${port}, which is no server of this test`);
  for (const [name, fake] of fakes) {
    const chats = fake.requests.filter((request) => request.method === 'POST');
    const sent = records.filter((record) => record.provider === name && record.source !== 'key-test');
    if (chats.length !== sent.length) problems.push(`${name} received ${chats.length} chat requests; the gate recorded ${sent.length}`);
    chats.forEach((request: RecordedRequest, i) => {
      const texts = new Set(stringsIn(request.body));
      const payload = sent[i] && (JSON.parse(sent[i].payload) as { messages: { content: string }[] });
      if (!payload || !payload.messages.every((m) => texts.has(m.content)))
        problems.push(`${name}'s chat request ${i + 1} is not the payload the gate recorded`);
    });
    const lists = fake.requests.filter((request) => request.method === 'GET').length;
    const tests = records.filter((record) => record.provider === name && record.source === 'key-test').length;
    if (lists !== tests) problems.push(`${name} received ${lists} model lists; the gate recorded ${tests} key tests`);
  }
  return problems;
}

describe('no path around the egress gate', () => {
  it('every connection and every provider request of the chat and API paths is one the gate recorded', async () => {
    const fixture = await cloudFixture();
    const { enclave } = fixture;
    const fakes = new Map<string, FakeProvider>();
    for (const kind of ['openai', 'anthropic', 'gemini'] as ProviderKind[]) fakes.set(kind, await fixture.addFake(kind, kind));
    await enclave.engine.loadModel({ path: await ensureTestModel(), threads: 1, contextSize: 512 });
    const server = await startApiServer(enclave, { host: '127.0.0.1', port: 0 });
    const apiPort = Number(new URL(server.url).port);
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: enclave.apiTokens.token(), maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'Write to ada@example.org about the invoice' }];

    try {
      const { ports } = await watchConnections(async () => {
        for (const [kind, model] of [
          ['openai', 'gpt-fake-1'],
          ['anthropic', 'claude-fake-1'],
          ['gemini', 'gemini-fake-1']
        ]) {
          const conversation = enclave.chat.createConversation();
          enclave.chat.updateSettings(conversation.id, { model: `${kind}/${model}` });
          await enclave.chat.send(conversation.id, 'Call Priya Raman on +44 20 7946 0958').finished;
          await enclave.chat.regenerate(conversation.id).finished;
          const [user] = enclave.conversations.get(conversation.id).messages;
          await enclave.chat.editAndResend(user!.id, 'Email priya.raman@example.com instead').finished;
          await enclave.chat.preview(conversation.id, 'Only a preview: nothing leaves');
          await enclave.cloud.test(kind!);
        }
        // A failure and a fallback, the one-message cloud toggle, and the API streamed and not.
        fakes.get('openai')!.faults({ status: 500 });
        enclave.router.updateSettings({ cloudChain: ['openai/gpt-fake-1', 'anthropic/claude-fake-1'], maxRetries: 0 });
        const local = enclave.chat.createConversation();
        await enclave.chat.send(local.id, 'Ask the cloud about Ada Lovelace', { useCloud: true }).finished;
        await client.chat.completions.create({ model: 'gemini/gemini-fake-1', messages });
        const stream = await client.chat.completions.create({ model: 'openai/gpt-fake-1', messages, stream: true });
        for await (const chunk of stream) void chunk;
        await client.chat.completions.create({ model: 'local', messages, max_tokens: 2 });
        await client.models.list();
      });

      const records = enclave.egressLedger.list({ limit: 1000 }).records.reverse();
      expect(records.length).toBeGreaterThanOrEqual(15);
      expect(unaccounted(fakes, records, ports, [apiPort])).toEqual([]);

      // The check catches a path around the gate: one request straight from a provider client.
      const openai = fakes.get('openai')!;
      const around = await watchConnections(() =>
        createCloudClient({ name: 'openai', kind: 'openai', baseUrl: openai.baseUrl }, 'sk-test-openai-0123456789abcdef').chat(
          { model: 'gpt-fake-1', messages: [{ role: 'user', content: 'ada@example.org' }] },
          { timeoutMs: 5000 }
        )
      );
      expect(unaccounted(fakes, records, [...ports, ...around.ports], [apiPort])).toEqual(
        expect.arrayContaining([expect.stringMatching(/^openai received \d+ chat requests; the gate recorded \d+$/)])
      );
    } finally {
      await server.close();
    }
  });

  it('send() refuses a request the gate did not prepare', async () => {
    const fixture = await cloudFixture();
    const fake = await fixture.addFake('cloud', 'openai');
    const provider = { name: 'cloud', kind: 'openai' as const, baseUrl: fake.baseUrl, models: [], createdAt: 0 };
    const forged = {
      mode: 'redact' as const,
      conversationId: null,
      messages: [{ role: 'user' as const, content: 'ada@example.org' }],
      redactions: [[]],
      entityCounts: {}
    };
    await expect(fixture.enclave.egress.send(forged, provider, 'gpt-fake-1', { source: 'api', timeoutMs: 1000 })).rejects.toThrow(
      /only accepts requests prepared by this gate/
    );
    expect(fake.requests).toHaveLength(0);
  });
});
