import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../src-main/core/chat/ChatService';
import { ChatStateError, ConversationNotFoundError, MessageNotFoundError } from '../src-main/core/chat/errors';
import { Enclave } from '../src-main/core/Enclave';
import { InvalidGgufError, ModelNotFoundError, NoModelLoadedError } from '../src-main/core/engine/errors';
import type { EventName, EventPayload } from '../src-preload/contract';
import type { Message } from '../src-main/core/shared/types';
import { useTempDir } from './support/tempDir';
import { ensureTestModel } from './support/writeTestModel';

type Recorded = { [E in EventName]: EventPayload<E>[] };

/** Records every core event while it is attached. */
function recordEvents(enclave: Enclave): { events: Recorded; stop: () => void } {
  const events: Recorded = {
    engineStatusChanged: [],
    modelLoadProgress: [],
    tuneProgress: [],
    chatToken: [],
    messageFinished: [],
    conversationsChanged: [],
    providersChanged: [],
    privacySettingsChanged: [],
    egressRecorded: [],
    documentsChanged: [],
    documentProgress: [],
    documentTaskProgress: [],
    downloadProgress: [],
    modelsChanged: []
  };
  const offs = (Object.keys(events) as EventName[]).map((name) =>
    enclave.events.on(name, (payload) => (events[name] as unknown[]).push(payload))
  );
  return { events, stop: () => offs.forEach((off) => off()) };
}

/** Calls `action` once, when the reply `messageId` has streamed `count` chunks. */
function afterChunks(enclave: Enclave, messageId: () => string | undefined, count: number, action: () => void): () => void {
  let seen = 0;
  const off = enclave.events.on('chatToken', (token) => {
    if (token.messageId !== messageId()) return;
    if (++seen === count) {
      off();
      action();
    }
  });
  return off;
}

describe('ChatService on a real Enclave and the generated model', () => {
  const tempDir = useTempDir('enclave-chat-');
  const opened: Enclave[] = [];
  let modelPath: string;
  let dataDir: string;
  let enclave: Enclave;

  async function openEnclave(dir: string): Promise<Enclave> {
    const instance = Enclave.open({ dataDir: dir });
    opened.push(instance);
    return instance;
  }

  beforeAll(async () => {
    modelPath = await ensureTestModel();
    // useTempDir removes folders after each test; this one lives for the whole file.
    dataDir = mkdtempSync(join(tmpdir(), 'enclave-chat-shared-'));
    enclave = await openEnclave(dataDir);
    await enclave.engine.loadModel({ path: modelPath, threads: 1, contextSize: 512 });
  });

  afterAll(async () => {
    for (const instance of opened.reverse()) await instance.dispose().catch(() => {});
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  // contextSize as loaded, so replies never recreate the context.
  const newConversation = (maxTokens = 16, systemPrompt?: string) =>
    enclave.conversations.create({ systemPrompt, sampling: { maxTokens, contextSize: 512 } });

  it('tells every listener when a conversation is created or renamed, and when privacy settings change', async () => {
    const own = await openEnclave(tempDir());
    const { events, stop } = recordEvents(own);
    const conversation = own.chat.createConversation({ title: 'Plans' });
    expect(events.conversationsChanged).toHaveLength(1);
    expect(own.chat.renameConversation(conversation.id, 'Trip plans')).toMatchObject({ id: conversation.id, title: 'Trip plans' });
    expect(events.conversationsChanged).toHaveLength(2);
    own.privacy.updateSettings({ mode: 'local-only' });
    own.privacy.addTerm('Project Nightjar', 'alwaysRedact');
    stop();
    expect(events.privacySettingsChanged.map((settings) => [settings.mode, settings.alwaysRedact])).toEqual([
      ['local-only', []],
      ['local-only', ['Project Nightjar']]
    ]);
  });

  it('refuses to send without a model, explaining how to load one, and persists nothing', async () => {
    const bare = await openEnclave(tempDir());
    const conversation = bare.conversations.create();
    const { events, stop } = recordEvents(bare);
    let error: unknown;
    try {
      bare.chat.send(conversation.id, 'Hello there');
    } catch (e) {
      error = e;
    }
    stop();
    expect(error).toBeInstanceOf(NoModelLoadedError);
    expect((error as NoModelLoadedError).code).toBe('NO_MODEL_LOADED');
    expect((error as Error).message).toMatch(/No model is loaded/);
    expect((error as Error).message).toMatch(/Choose model file/);
    expect((error as Error).message).toMatch(/--model PATH/);
    expect(() => bare.chat.regenerate(conversation.id)).toThrow(NoModelLoadedError);

    const stored = bare.conversations.get(conversation.id);
    expect(stored.messages).toEqual([]);
    expect(stored.title).toBe('New chat');
    expect(events.conversationsChanged).toEqual([]);
    expect(bare.chat.isGenerating(conversation.id)).toBe(false);
    await bare.dispose();
    opened.splice(opened.indexOf(bare), 1);
  });

  it('streams tokens, persists the complete reply with metrics and auto-titles the conversation', async () => {
    const conversation = newConversation(24);
    const { events, stop } = recordEvents(enclave);
    const exchange = enclave.chat.send(conversation.id, '  Tell me   about\nfoxes  ');
    expect(enclave.chat.isGenerating(conversation.id)).toBe(true);
    expect(exchange.userMessage).toMatchObject({ role: 'user', content: '  Tell me   about\nfoxes  ', status: 'complete' });
    expect(exchange.assistantMessage).toMatchObject({ role: 'assistant', content: '', status: 'streaming', metrics: null });
    expect(events.conversationsChanged).toHaveLength(1);

    const reply = (await exchange.finished)!;
    stop();
    const tokens = events.chatToken.filter((t) => t.messageId === exchange.assistantMessage.id);
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.every((t) => t.conversationId === conversation.id)).toBe(true);
    expect(reply.content).toBe(tokens.map((t) => t.text).join(''));
    expect(reply.content.length).toBeGreaterThan(0);
    expect(reply).toMatchObject({ id: exchange.assistantMessage.id, status: 'complete', error: null });
    expect(events.messageFinished).toEqual([{ message: reply }]);

    const backend = (await enclave.engine.status()).backend;
    expect(reply.metrics).toMatchObject({ model: basename(modelPath), backend, completionTokens: 24 });
    expect(reply.metrics!.promptTokens).toBeGreaterThan(3);
    expect(reply.metrics!.tokensPerSecond).toBeGreaterThan(0);
    expect(reply.metrics!.totalMs).toBeGreaterThan(0);

    const stored = enclave.conversations.get(conversation.id);
    expect(stored.title).toBe('Tell me about foxes');
    expect(stored.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete']
    ]);
    expect(stored.messages[1]).toEqual(reply);
    expect(enclave.chat.isGenerating(conversation.id)).toBe(false);

    // The title is set once: a later message does not rename the conversation.
    const second = enclave.chat.send(conversation.id, 'And wolves?');
    await second.finished;
    expect(enclave.conversations.get(conversation.id).title).toBe('Tell me about foxes');
  });

  it('shortens a long first message into the title and keeps a title the user chose', async () => {
    const long = newConversation(4);
    const text = 'word '.repeat(40);
    await enclave.chat.send(long.id, text).finished;
    const title = enclave.conversations.get(long.id).title;
    expect(title).toHaveLength(60);
    expect(title.endsWith('…')).toBe(true);
    expect(text.startsWith(title.slice(0, -1))).toBe(true);

    const named = enclave.conversations.create({ title: 'My own title', sampling: { maxTokens: 4 } });
    const { events, stop } = recordEvents(enclave);
    await enclave.chat.send(named.id, 'hello').finished;
    stop();
    expect(enclave.conversations.get(named.id).title).toBe('My own title');
    expect(events.conversationsChanged).toEqual([]);
  });

  it('stop mid-stream keeps the partial text with status stopped', async () => {
    const conversation = newConversation(2000);
    let exchange: Exchange | undefined;
    const { events, stop } = recordEvents(enclave);
    afterChunks(
      enclave,
      () => exchange?.assistantMessage.id,
      5,
      () => enclave.chat.stop(conversation.id)
    );
    exchange = enclave.chat.send(conversation.id, 'Write a very long story');
    const reply = (await exchange.finished)!;
    stop();
    expect(reply.status).toBe('stopped');
    expect(reply.content.length).toBeGreaterThan(0);
    const streamed = events.chatToken
      .filter((t) => t.messageId === reply.id)
      .map((t) => t.text)
      .join('');
    expect(reply.content).toBe(streamed);
    expect(reply.metrics!.completionTokens).toBeLessThan(200);
    expect(enclave.conversations.getMessage(reply.id)).toMatchObject({ status: 'stopped', content: reply.content });
    expect(enclave.chat.isGenerating(conversation.id)).toBe(false);
    // Stopping an idle conversation is harmless.
    expect(() => enclave.chat.stop(conversation.id)).not.toThrow();
  });

  it('refuses a second send, a regenerate or an edit while a reply is being written', async () => {
    const conversation = newConversation(2000);
    const exchange = enclave.chat.send(conversation.id, 'First question');
    for (const attempt of [
      () => enclave.chat.send(conversation.id, 'Second question'),
      () => enclave.chat.regenerate(conversation.id),
      () => enclave.chat.editAndResend(exchange.userMessage!.id, 'Changed question')
    ]) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ChatStateError);
      expect((error as ChatStateError).code).toBe('CHAT_STATE');
      expect((error as Error).message).toMatch(/still being written.*Stop it first/);
    }
    // Another conversation is not blocked (it waits in the model's queue).
    const other = newConversation(4);
    const otherExchange = enclave.chat.send(other.id, 'Meanwhile');
    enclave.chat.stop(conversation.id);
    expect((await exchange.finished)!.status).toBe('stopped');
    expect((await otherExchange.finished)!.status).toBe('complete');
    // The refused attempts left nothing behind.
    const messages = enclave.conversations.get(conversation.id).messages;
    expect(messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'stopped']
    ]);
    expect(messages[0]!.content).toBe('First question');
  });

  it('regenerate replaces the last reply with a new one', async () => {
    const conversation = newConversation(8);
    const first = await enclave.chat.send(conversation.id, 'Pick a colour').finished;
    const exchange = enclave.chat.regenerate(conversation.id);
    expect(exchange.userMessage).toBeNull();
    const again = (await exchange.finished)!;
    expect(again.id).not.toBe(first!.id);
    expect(again.status).toBe('complete');
    expect(again.metrics!.completionTokens).toBe(8);
    const messages = enclave.conversations.get(conversation.id).messages;
    expect(messages).toHaveLength(2);
    expect(messages.map((m) => m.id)).toEqual([messages[0]!.id, again.id]);
    expect(messages[0]!.content).toBe('Pick a colour');
    expect(() => enclave.conversations.getMessage(first!.id)).toThrow(MessageNotFoundError);

    const empty = newConversation(4);
    expect(() => enclave.chat.regenerate(empty.id)).toThrow(/no message to answer/);
    expect(() => enclave.chat.regenerate('no-such-conversation')).toThrow(ConversationNotFoundError);
  });

  it('editAndResend drops later messages and answers the edited one; assistant messages cannot be edited', async () => {
    const conversation = newConversation(6);
    const one = enclave.chat.send(conversation.id, 'First');
    await one.finished;
    const two = enclave.chat.send(conversation.id, 'Second');
    const secondReply = await two.finished;
    expect(enclave.conversations.get(conversation.id).messages).toHaveLength(4);

    let error: unknown;
    try {
      enclave.chat.editAndResend(secondReply!.id, 'tampered');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChatStateError);
    expect((error as Error).message).toMatch(/Only your own messages/);
    expect(enclave.conversations.getMessage(secondReply!.id).content).toBe(secondReply!.content);
    expect(() => enclave.chat.editAndResend('no-such-message', 'x')).toThrow(MessageNotFoundError);

    const edited = enclave.chat.editAndResend(one.userMessage!.id, 'First, edited');
    const reply = (await edited.finished)!;
    const messages = enclave.conversations.get(conversation.id).messages;
    expect(messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete']
    ]);
    expect(messages[0]).toMatchObject({ id: edited.userMessage!.id, content: 'First, edited' });
    expect(messages[0]!.id).not.toBe(one.userMessage!.id);
    expect(messages[1]!.id).toBe(reply.id);
    for (const gone of [one.userMessage!.id, one.assistantMessage.id, two.userMessage!.id, secondReply!.id])
      expect(() => enclave.conversations.getMessage(gone)).toThrow(MessageNotFoundError);
    expect(enclave.conversations.list('edited').map((c) => c.id)).toEqual([conversation.id]);
    expect(enclave.conversations.list('second').map((c) => c.id)).not.toContain(conversation.id);
  });

  it('deleting a conversation while its reply streams resolves finished with null and removes it', async () => {
    const conversation = newConversation(2000);
    let exchange: Exchange | undefined;
    const { events, stop } = recordEvents(enclave);
    afterChunks(
      enclave,
      () => exchange?.assistantMessage.id,
      3,
      () => enclave.chat.deleteConversation(conversation.id)
    );
    exchange = enclave.chat.send(conversation.id, 'Talk for a long time');
    await expect(exchange.finished).resolves.toBeNull();
    stop();
    expect(() => enclave.conversations.get(conversation.id)).toThrow(ConversationNotFoundError);
    expect(() => enclave.conversations.getMessage(exchange!.assistantMessage.id)).toThrow(MessageNotFoundError);
    expect(enclave.conversations.list().map((c) => c.id)).not.toContain(conversation.id);
    expect(enclave.chat.isGenerating(conversation.id)).toBe(false);
    expect(events.messageFinished.filter((e) => e.message.conversationId === conversation.id)).toEqual([]);
    expect(events.conversationsChanged.length).toBeGreaterThanOrEqual(1);
    // The engine carries on.
    const next = newConversation(4);
    expect((await enclave.chat.send(next.id, 'Still there?').finished)!.status).toBe('complete');
  });

  it('honours the per-conversation maxTokens, including after a settings change', async () => {
    const conversation = newConversation(7);
    const tokens: string[] = [];
    const off = enclave.events.on('chatToken', (t) => t.conversationId === conversation.id && tokens.push(t.text));
    const first = (await enclave.chat.send(conversation.id, 'Count').finished)!;
    expect(first.metrics!.completionTokens).toBe(7);
    enclave.conversations.updateSettings(conversation.id, { sampling: { maxTokens: 13 } });
    expect(enclave.conversations.get(conversation.id).sampling).toMatchObject({ maxTokens: 13, temperature: 0.7 });
    const second = (await enclave.chat.send(conversation.id, 'Again').finished)!;
    off();
    expect(second.metrics!.completionTokens).toBe(13);
    expect(tokens.join('')).toBe(first.content + second.content);
  });

  it('includes the system prompt and the history in the prompt', async () => {
    const plain = newConversation(4);
    const withSystem = newConversation(4, 'You are a helpful assistant. '.repeat(30));
    const a = (await enclave.chat.send(plain.id, 'Hello').finished)!;
    const b = (await enclave.chat.send(withSystem.id, 'Hello').finished)!;
    // 30 repetitions of a 6-word sentence: well over 100 extra tokens.
    expect(b.metrics!.promptTokens - a.metrics!.promptTokens).toBeGreaterThan(100);
    // A whitespace-only system prompt is left out entirely.
    const blank = newConversation(4, '   ');
    const c = (await enclave.chat.send(blank.id, 'Hello').finished)!;
    expect(c.metrics!.promptTokens).toBe(a.metrics!.promptTokens);
    // The second turn carries the first exchange along.
    const d = (await enclave.chat.send(plain.id, 'Hello').finished)!;
    expect(d.metrics!.promptTokens).toBeGreaterThan(a.metrics!.promptTokens + a.metrics!.completionTokens - 2);
  });

  it('a failed load of a bad file keeps the loaded model and the stored conversations', async () => {
    const conversation = newConversation(5);
    const before = (await enclave.chat.send(conversation.id, 'Before the bad load').finished)!;
    const storedBefore = enclave.conversations.get(conversation.id).messages;
    const dir = tempDir();
    const notGguf = join(dir, 'notes.gguf');
    writeFileSync(notGguf, 'definitely not a model');

    await expect(enclave.engine.loadModel({ path: notGguf, threads: 1 })).rejects.toBeInstanceOf(InvalidGgufError);
    await expect(enclave.engine.loadModel({ path: join(dir, 'missing.gguf'), threads: 1 })).rejects.toBeInstanceOf(ModelNotFoundError);

    const status = await enclave.engine.status();
    expect(status.loading).toBeNull();
    expect(status.model?.path).toBe(modelPath);
    expect(enclave.engine.getSettings().lastModelPath).toBe(modelPath);
    expect(enclave.conversations.get(conversation.id).messages).toEqual(storedBefore);
    expect(storedBefore.at(-1)!.id).toBe(before.id);
    const after = (await enclave.chat.send(conversation.id, 'After the bad load').finished)!;
    expect(after.status).toBe('complete');
    expect(after.metrics!.completionTokens).toBe(5);
  });

  it('tuneThreads measures once, then answers from the cache with the same best', async () => {
    const progress: number[] = [];
    const off = enclave.events.on('tuneProgress', (p) => progress.push(p.threads));
    const first = await enclave.engine.tuneThreads();
    const second = await enclave.engine.tuneThreads();
    off();
    expect(first.cached).toBe(false);
    expect(first.samples.length).toBeGreaterThanOrEqual(1);
    expect(first.samples.map((s) => s.threads)).toContain(first.best);
    expect(progress).toEqual(first.samples.map((s) => s.threads));
    expect(second).toEqual({ ...first, cached: true });
    expect((await enclave.engine.status()).model?.threads).toBe(first.best);
  });

  it('a conversation written by one instance is visible to a second instance on the same data dir', async () => {
    const second = await openEnclave(dataDir);
    const conversation = newConversation(6);
    const reply = (await enclave.chat.send(conversation.id, 'Shared between windows').finished)!;
    const seen = second.conversations.get(conversation.id);
    expect(seen.title).toBe('Shared between windows');
    expect(seen.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ['user', 'Shared between windows', 'complete'],
      ['assistant', reply.content, 'complete']
    ]);
    expect(seen.messages[1]!.metrics).toEqual(reply.metrics);
    expect(second.conversations.list()[0]!.id).toBe(conversation.id);
    expect(second.conversations.list('windows').map((c) => c.id)).toEqual([conversation.id]);
    // And the other way round.
    const fromSecond = second.conversations.create({ title: 'Written by the CLI' });
    expect(enclave.conversations.list('cli').map((c) => c.id)).toEqual([fromSecond.id]);
  });

  it('dispose() while a reply streams saves its partial text as stopped', async () => {
    const dir = tempDir();
    const own = Enclave.open({ dataDir: dir });
    await own.engine.loadModel({ path: modelPath, threads: 1, contextSize: 512 });
    const conversation = own.conversations.create({ sampling: { maxTokens: 5000 } });
    const streamed: string[] = [];
    let exchange: Exchange | undefined;
    let disposing: Promise<void> | undefined;
    own.events.on('chatToken', (t) => {
      streamed.push(t.text);
      if (streamed.length === 4) disposing = own.dispose();
    });
    exchange = own.chat.send(conversation.id, 'Keep going');
    const reply: Message | null = await exchange.finished;
    await disposing;
    expect(disposing).toBeDefined();
    expect(reply).toMatchObject({ status: 'stopped', content: streamed.join('') });
    expect(reply!.content.length).toBeGreaterThan(0);

    const reopened = await openEnclave(dir);
    const stored = reopened.conversations.get(conversation.id).messages.at(-1)!;
    expect(stored).toMatchObject({ id: exchange.assistantMessage.id, status: 'stopped', content: reply!.content });
    expect(reopened.conversations.recoverInterrupted()).toBe(0);
  });
});
