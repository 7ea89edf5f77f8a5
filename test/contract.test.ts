import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createCallHandlers,
  dispatchCall,
  forwardEvents,
  type BridgePorts,
  type CallHandlers
} from '../src-main/bridge/createCallHandlers';
import { Enclave } from '../src-main/core/Enclave';
import { EnclaveBridgeError, exposeApi, unwrapApi, type BridgeTransport } from '../src-preload/bridgeApi';
import {
  callChannel,
  callNames,
  eventChannel,
  eventMethodName,
  eventNames,
  preloadHelperNames,
  type BridgeResponse,
  type CallName,
  type EventPayload
} from '../src-preload/contract';
import type { Conversation, Message } from '../src-main/core/shared/types';
import { ApiServerController } from '../src-main/server/ApiServerController';
import { ensureTestModel } from './support/writeTestModel';

/** The browser's answer: a File there has no path. */
const noPaths = { pathForFile: () => null };

/** The adapter's side of dialogs and links, recording what it was asked. */
class RecordingPorts implements BridgePorts {
  readonly appVersion = '9.9.9-test';
  constructor(readonly apiServer: ApiServerController) {}
  readonly opened: URL[] = [];
  chooseCalls = 0;
  chooseAnswer: string | null = '/models/picked.gguf';
  chooseFailure: Error | null = null;

  async chooseModelFile(): Promise<string | null> {
    this.chooseCalls++;
    if (this.chooseFailure) throw this.chooseFailure;
    return this.chooseAnswer;
  }

  async chooseDocumentFiles(): Promise<string[]> {
    return ['/documents/picked.pdf'];
  }

  async openExternal(url: URL): Promise<void> {
    this.opened.push(url);
  }
}

const call = (handlers: CallHandlers, name: CallName | string, args?: unknown) =>
  dispatchCall(handlers, callNames.includes(name as CallName) ? callChannel(name as CallName) : name, args);

function expectError(response: BridgeResponse<unknown>, code: string): string {
  expect(response.ok).toBe(false);
  if (response.ok) throw new Error('unreachable');
  expect(Object.keys(response.error).sort()).toEqual(['code', 'message']);
  expect(response.error.code).toBe(code);
  expect(typeof response.error.message).toBe('string');
  return response.error.message;
}

function expectOk<T>(response: BridgeResponse<unknown>): T {
  if (!response.ok) throw new Error(`expected ok, got ${response.error.code}: ${response.error.message}`);
  return response.value as T;
}

describe('the bridge contract on a real Enclave', () => {
  let dataDir: string;
  let enclave: Enclave;
  let ports: RecordingPorts;
  let handlers: CallHandlers;
  let modelPath: string;

  beforeAll(async () => {
    modelPath = await ensureTestModel();
    dataDir = mkdtempSync(join(tmpdir(), 'enclave-contract-'));
    enclave = Enclave.open({ dataDir });
  });

  beforeEach(() => {
    ports = new RecordingPorts(new ApiServerController(enclave));
    handlers = createCallHandlers(enclave, ports);
  });

  afterAll(async () => {
    await enclave?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe('handlers', () => {
    it('has exactly one handler per contract call', () => {
      expect(Object.keys(handlers).sort()).toEqual([...callNames].sort());
      for (const name of callNames) expect(typeof handlers[name]).toBe('function');
      expect(new Set(callNames.map(callChannel)).size).toBe(callNames.length);
      expect(new Set(eventNames.map(eventChannel)).size).toBe(eventNames.length);
    });

    it('answers a call with {ok: true, value}, treating missing arguments as {}', async () => {
      const expected = { version: '9.9.9-test', dataDir, platform: process.platform };
      expect(await call(handlers, 'getAppInfo', {})).toEqual({ ok: true, value: expected });
      expect(await call(handlers, 'getAppInfo', undefined)).toEqual({ ok: true, value: expected });
      expect(await call(handlers, 'getAppInfo', null)).toEqual({ ok: true, value: expected });
      // A void call answers null, never undefined (IPC cannot tell them apart).
      expect(await call(handlers, 'stopGeneration', { conversationId: 'idle' })).toEqual({ ok: true, value: null });
      expect(await call(handlers, 'chooseModelFile', {})).toEqual({ ok: true, value: '/models/picked.gguf' });
      expect(ports.chooseCalls).toBe(1);
    });
  });

  describe('argument validation', () => {
    let conversation: Conversation;
    beforeEach(() => {
      conversation = enclave.conversations.create({ title: 'Validation target' });
    });

    const longText = (n: number) => 'x'.repeat(n);

    const cases: [name: CallName, args: (id: string) => unknown, field: string][] = [
      ['getConversation', () => ({ id: 42 }), 'id'],
      ['getConversation', () => ({}), 'id'],
      ['getConversation', () => ({ id: '' }), 'id'],
      ['getConversation', () => ({ id: longText(65) }), 'id'],
      ['sendMessage', (id) => ({ conversationId: id }), 'text'],
      ['sendMessage', (id) => ({ conversationId: id, text: '' }), 'text'],
      ['sendMessage', (id) => ({ conversationId: id, text: '   \n\t  ' }), 'text'],
      ['sendMessage', (id) => ({ conversationId: id, text: 42 }), 'text'],
      ['sendMessage', (id) => ({ conversationId: id, text: longText(1_000_001) }), 'text'],
      ['sendMessage', (id) => ({ conversationId: id, text: 'hi', sneaky: true }), 'sneaky'],
      ['sendMessage', () => ({ text: 'hi' }), 'conversationId'],
      ['editMessage', () => ({ messageId: 'm', text: ' ' }), 'text'],
      ['regenerate', () => ({ conversationId: null }), 'conversationId'],
      ['getAppInfo', () => ({ unexpected: 1 }), 'unexpected'],
      ['unloadModel', () => ({ force: true }), 'force'],
      ['updateConversationSettings', (id) => ({ id, sampling: { maxTokens: -1 } }), 'sampling.maxTokens'],
      ['updateConversationSettings', (id) => ({ id, sampling: { maxTokens: 2.5 } }), 'sampling.maxTokens'],
      ['updateConversationSettings', (id) => ({ id, sampling: { maxTokens: 10_000_000 } }), 'sampling.maxTokens'],
      ['updateConversationSettings', (id) => ({ id, sampling: { temperature: 5 } }), 'sampling.temperature'],
      ['updateConversationSettings', (id) => ({ id, sampling: { topP: 0 } }), 'sampling.topP'],
      ['updateConversationSettings', (id) => ({ id, sampling: { contextSize: 8 } }), 'sampling.contextSize'],
      ['updateConversationSettings', (id) => ({ id, sampling: { seed: 1 } }), 'seed'],
      ['updateConversationSettings', (id) => ({ id, systemPrompt: longText(100_001) }), 'systemPrompt'],
      ['createConversation', () => ({ title: longText(201) }), 'title'],
      ['createConversation', () => ({ title: 7 }), 'title'],
      ['renameConversation', (id) => ({ id, title: '   ' }), 'title'],
      ['renameConversation', (id) => ({ id }), 'title'],
      ['listConversations', () => ({ query: longText(501) }), 'query'],
      ['listConversations', () => ({ query: ['a'] }), 'query'],
      ['loadModel', () => ({}), 'path'],
      ['loadModel', () => ({ path: '' }), 'path'],
      ['loadModel', () => ({ path: longText(4097) }), 'path'],
      ['loadModel', () => ({ path: 'm.gguf', gpuLayers: -1 }), 'gpuLayers'],
      ['loadModel', () => ({ path: 'm.gguf', gpuLayers: 'all' }), 'gpuLayers'],
      ['loadModel', () => ({ path: 'm.gguf', contextSize: 1e9 }), 'contextSize'],
      ['loadModel', () => ({ path: 'm.gguf', threads: 2 }), 'threads'],
      ['updateEngineSettings', () => ({ threads: 0 }), 'threads'],
      ['updateEngineSettings', () => ({ threads: 'many' }), 'threads'],
      ['updateEngineSettings', () => ({ lastModelPath: '/tmp/x.gguf' }), 'lastModelPath'],
      ['tuneThreads', () => ({ force: 'yes' }), 'force'],
      ['openExternal', () => ({ url: '' }), 'url'],
      ['openExternal', () => ({ url: `https://example.com/${longText(8200)}` }), 'url'],
      ['openExternal', () => ({ href: 'https://example.com' }), 'href']
    ];

    it.each(cases.map(([name, args, field]) => [`${name} ${field}`, name, args, field] as const))(
      'refuses bad arguments: %s',
      async (_label, name, args, field) => {
        const changed: unknown[] = [];
        const stop = forwardEvents(enclave, (channel, payload) => changed.push([channel, payload]));
        const response = await call(handlers, name, args(conversation.id));
        stop();
        const message = expectError(response, 'INVALID_ARGUMENTS');
        expect(message).toContain(`Invalid arguments for ${name}:`);
        expect(message).toContain(field);
        expect(message.length).toBeLessThan(2000);
        // Nothing reached the core.
        expect(changed).toEqual([]);
        expect(ports.opened).toEqual([]);
        expect(enclave.conversations.get(conversation.id)).toMatchObject({ title: 'Validation target', messages: [] });
      }
    );

    it('refuses arguments that are not an object', async () => {
      for (const args of ['hello', 42, true, ['conversationId', 'text'], [], () => 1]) {
        const message = expectError(await call(handlers, 'sendMessage', args), 'INVALID_ARGUMENTS');
        expect(message).toMatch(/\(arguments\): .*expected object/);
      }
      expectError(await call(handlers, 'getAppInfo', 'hello'), 'INVALID_ARGUMENTS');
    });

    it('refuses prototype-pollution shaped arguments and pollutes nothing', async () => {
      const attacks = [
        ['getAppInfo', '{"__proto__": {"polluted": "yes"}}', '__proto__'],
        ['getConversation', `{"id": "${conversation.id}", "__proto__": {"polluted": "yes"}}`, '__proto__'],
        ['sendMessage', `{"conversationId": "${conversation.id}", "text": "hi", "__proto__": {"polluted": "yes"}}`, '__proto__'],
        ['createConversation', '{"constructor": {"prototype": {"polluted": "yes"}}}', 'constructor'],
        ['updateConversationSettings', `{"id": "${conversation.id}", "sampling": {"__proto__": {"polluted": "yes"}}}`, '__proto__']
      ] as const;
      for (const [name, json, key] of attacks) {
        const args = JSON.parse(json) as { sampling?: object };
        // JSON.parse makes "__proto__" an own, enumerable key (what arrives over IPC), not a prototype.
        expect(Object.keys(args.sampling ?? args)).toContain(key);
        const message = expectError(await call(handlers, name, args), 'INVALID_ARGUMENTS');
        expect(message).toContain(key);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(enclave.conversations.get(conversation.id).messages).toEqual([]);
      expect(enclave.conversations.get(conversation.id).sampling).not.toHaveProperty('polluted');
    });

    it('trims message text before it reaches the core', async () => {
      // Validation passes; the core then refuses for lack of a model, with nothing stored.
      const message = expectError(
        await call(handlers, 'sendMessage', { conversationId: conversation.id, text: '  hi  ' }),
        'NO_MODEL_LOADED'
      );
      expect(message).toMatch(/Load a GGUF model/);
      expect(enclave.conversations.get(conversation.id).messages).toEqual([]);
      const renamed = expectOk<{ title: string }>(await call(handlers, 'renameConversation', { id: conversation.id, title: '  Spaced  ' }));
      expect(renamed.title).toBe('Spaced');
    });
  });

  describe('errors and unknown calls', () => {
    it('answers an unknown channel with UNKNOWN_CALL', async () => {
      for (const channel of [
        'enclave:call:nope',
        'enclave:call:__proto__',
        'enclave:call:constructor',
        'enclave:call:toString',
        'enclave:call:hasOwnProperty',
        'enclave:event:chatToken',
        'getAppInfo',
        'enclave:call:getappinfo',
        ''
      ]) {
        const message = expectError(await dispatchCall(handlers, channel, {}), 'UNKNOWN_CALL');
        expect(message).toContain(`Unknown call ${channel}`);
      }
    });

    it('turns core errors into {ok: false, error: {code, message}}', async () => {
      let message = expectError(await call(handlers, 'getConversation', { id: 'no-such-id' }), 'CONVERSATION_NOT_FOUND');
      expect(message).toContain('no-such-id');
      expectError(await call(handlers, 'renameConversation', { id: 'no-such-id', title: 'x' }), 'CONVERSATION_NOT_FOUND');
      expectError(await call(handlers, 'deleteConversation', { id: 'no-such-id' }), 'CONVERSATION_NOT_FOUND');
      expectError(await call(handlers, 'updateConversationSettings', { id: 'no-such-id', systemPrompt: 'x' }), 'CONVERSATION_NOT_FOUND');
      expectError(await call(handlers, 'editMessage', { messageId: 'no-such-message', text: 'x' }), 'MESSAGE_NOT_FOUND');
      expectError(await call(handlers, 'tuneThreads', {}), 'NO_MODEL_LOADED');
      message = expectError(await call(handlers, 'loadModel', { path: join(dataDir, 'missing.gguf') }), 'MODEL_NOT_FOUND');
      expect(message).toContain('missing.gguf');
      // Anything else thrown below the bridge still arrives as data, never as a rejection.
      ports.chooseFailure = new TypeError('dialog exploded');
      expect(await call(handlers, 'chooseModelFile', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'dialog exploded' } });
    });

    it('every answer survives structured cloning (what IPC does to it)', async () => {
      const created = expectOk<Conversation>(await call(handlers, 'createConversation', { title: 'Clone me' }));
      for (const response of [
        await call(handlers, 'getAppInfo', {}),
        await call(handlers, 'getEngineStatus', {}),
        await call(handlers, 'getEngineSettings', {}),
        await call(handlers, 'listConversations', { query: 'clone' }),
        await call(handlers, 'getConversation', { id: created.id }),
        await call(handlers, 'getConversation', { id: 'missing' }),
        await call(handlers, 'nonsense', {})
      ])
        expect(structuredClone(response)).toEqual(response);
    });
  });

  describe('openExternal', () => {
    it('passes http and https URLs to the port as URL objects', async () => {
      for (const url of ['https://example.com/docs?q=1#top', 'http://localhost:8080/', 'HTTPS://EXAMPLE.ORG/Path']) {
        expect(await call(handlers, 'openExternal', { url })).toEqual({ ok: true, value: null });
      }
      expect(ports.opened.every((u) => u instanceof URL)).toBe(true);
      expect(ports.opened.map((u) => u.href)).toEqual([
        'https://example.com/docs?q=1#top',
        'http://localhost:8080/',
        'https://example.org/Path'
      ]);
    });

    it('refuses every other scheme and garbage with LINK_REFUSED, never calling the port', async () => {
      for (const url of [
        'javascript:alert(1)',
        'JavaScript:alert(document.cookie)',
        ' javascript:alert(1)',
        'file:///etc/passwd',
        'file://C:/Windows/System32/calc.exe',
        'data:text/html,<script>alert(1)</script>',
        'vbscript:msgbox(1)',
        'enclave://settings',
        'ms-msdt:/id PCWDiagnostic',
        'mailto:someone@example.com',
        'ftp://example.com/file',
        'chrome://settings',
        'blob:https://example.com/uuid',
        'not a url',
        '//example.com/no-scheme',
        '/relative/path',
        'http//missing-colon.com',
        '🙂'
      ]) {
        const message = expectError(await call(handlers, 'openExternal', { url }), 'LINK_REFUSED');
        expect(message).toContain('Only http and https links');
      }
      expect(ports.opened).toEqual([]);
    });

    it('keeps a refused URL short in the message', async () => {
      const url = `javascript:${'a'.repeat(5000)}`;
      const message = expectError(await call(handlers, 'openExternal', { url }), 'LINK_REFUSED');
      expect(message.length).toBeLessThan(400);
    });
  });

  describe('exposeApi and unwrapApi', () => {
    function recordingTransport() {
      const invoked: [string, unknown][] = [];
      const subscribed: string[] = [];
      const unsubscribed: string[] = [];
      const transport: BridgeTransport = {
        invoke: async (channel, args) => {
          invoked.push([channel, args]);
          return { ok: true, value: channel };
        },
        subscribe: (channel) => {
          subscribed.push(channel);
          return () => unsubscribed.push(channel);
        }
      };
      return { transport, invoked, subscribed, unsubscribed };
    }

    it('exposes exactly one method per call and one onX per event, frozen', async () => {
      const { transport, invoked, subscribed, unsubscribed } = recordingTransport();
      const askedPaths: string[] = [];
      const helpers = {
        pathForFile: (file: File) => {
          askedPaths.push(file.name);
          return `/dropped/${file.name}`;
        },
        notAHelper: () => 'leaked'
      };
      const api = exposeApi(transport, helpers) as unknown as Record<string, (arg?: unknown) => unknown>;
      const expected = [...callNames, ...eventNames.map(eventMethodName), ...preloadHelperNames].sort();
      expect(Object.keys(api).sort()).toEqual(expected);
      expect(Object.getOwnPropertyNames(api).sort()).toEqual(expected);
      expect(expected).toContain('onChatToken');
      expect(expected).toContain('onConversationsChanged');
      for (const key of expected) expect(typeof api[key]).toBe('function');
      expect(Object.isFrozen(api)).toBe(true);
      expect(() => {
        (api as Record<string, unknown>).invoke = () => 1;
      }).toThrow();

      for (const name of callNames) {
        expect(await api[name]!({ marker: name })).toEqual({ ok: true, value: callChannel(name) });
      }
      expect(invoked).toEqual(callNames.map((name) => [callChannel(name), { marker: name }]));
      await api.getAppInfo!();
      expect(invoked.at(-1)).toEqual([callChannel('getAppInfo'), {}]);

      for (const name of eventNames) {
        const unsubscribe = api[eventMethodName(name)]!(() => {}) as () => void;
        unsubscribe();
      }
      expect(subscribed).toEqual(eventNames.map(eventChannel));
      expect(unsubscribed).toEqual(eventNames.map(eventChannel));

      // The preload's own helper answers in place, without IPC.
      expect(api.pathForFile!(new File(['x'], 'model.gguf'))).toBe('/dropped/model.gguf');
      expect(askedPaths).toEqual(['model.gguf']);
      expect(invoked).toHaveLength(callNames.length + 1);
    });

    it('unwrapApi returns values, throws EnclaveBridgeError with the code, and keeps the onX methods', async () => {
      const errorTransport: BridgeTransport = {
        invoke: async (channel) =>
          channel === callChannel('getAppInfo')
            ? { ok: true, value: { version: '1' } }
            : { ok: false, error: { code: 'QUEUE_FULL', message: `failed ${channel}` } },
        subscribe: () => () => {}
      };
      const api = unwrapApi(exposeApi(errorTransport, noPaths));
      expect(Object.keys(api).sort()).toEqual([...callNames, ...eventNames.map(eventMethodName), ...preloadHelperNames].sort());
      expect(Object.isFrozen(api)).toBe(true);
      expect(await api.getAppInfo({})).toEqual({ version: '1' });
      const error = await api.listConversations({}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EnclaveBridgeError);
      expect(error).toBeInstanceOf(Error);
      expect((error as EnclaveBridgeError).code).toBe('QUEUE_FULL');
      expect((error as EnclaveBridgeError).name).toBe('EnclaveBridgeError');
      expect((error as Error).message).toBe(`failed ${callChannel('listConversations')}`);
      expect(typeof api.onChatToken).toBe('function');
    });
  });

  describe('end to end: exposeApi → dispatchCall → core → forwardEvents', () => {
    /** What the preload and main do, with IPC's structured cloning in between. */
    function wire() {
      const listeners = new Map<string, Set<(payload: unknown) => void>>();
      const stopForwarding = forwardEvents(enclave, (channel, payload) => {
        for (const listener of listeners.get(channel) ?? []) listener(structuredClone(payload));
      });
      const transport: BridgeTransport = {
        invoke: async (channel, args) => structuredClone(await dispatchCall(handlers, channel, structuredClone(args))),
        subscribe(channel, listener) {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)!.add(listener);
          return () => listeners.get(channel)!.delete(listener);
        }
      };
      return { api: unwrapApi(exposeApi(transport, noPaths)), stopForwarding };
    }

    it('manages conversations and reports core errors as EnclaveBridgeError', async () => {
      const { api, stopForwarding } = wire();
      try {
        const changes: unknown[] = [];
        const off = api.onConversationsChanged((payload) => changes.push(payload));
        const created = await api.createConversation({ title: 'Through the bridge', systemPrompt: 'Be kind.' });
        expect(created).toMatchObject({ title: 'Through the bridge', systemPrompt: 'Be kind.', messages: [] });
        expect((await api.listConversations({ query: 'bridge' })).map((c) => c.id)).toEqual([created.id]);
        expect(await api.renameConversation({ id: created.id, title: 'Renamed' })).toMatchObject({ id: created.id, title: 'Renamed' });
        const updated = await api.updateConversationSettings({ id: created.id, sampling: { maxTokens: 9 } });
        expect(updated.sampling.maxTokens).toBe(9);
        expect(await api.deleteConversation({ id: created.id })).toBeNull();
        expect(changes).toEqual([{}, {}, {}, {}]); // the creation, the rename, the settings change and the deletion
        off();
        await expect(api.getConversation({ id: created.id })).rejects.toMatchObject({
          name: 'EnclaveBridgeError',
          code: 'CONVERSATION_NOT_FOUND'
        });
        await expect(api.getConversation({ id: 5 as unknown as string })).rejects.toMatchObject({ code: 'INVALID_ARGUMENTS' });
        await expect(api.openExternal({ url: 'javascript:alert(1)' })).rejects.toMatchObject({ code: 'LINK_REFUSED' });
        expect(ports.opened).toEqual([]);
      } finally {
        stopForwarding();
      }
    });

    it('loads a model, streams a reply as events and stores it', async () => {
      const { api, stopForwarding } = wire();
      try {
        const statuses: EventPayload<'engineStatusChanged'>[] = [];
        const tokens: EventPayload<'chatToken'>[] = [];
        const offStatus = api.onEngineStatusChanged((s) => statuses.push(s));
        const offTokens = api.onChatToken((t) => tokens.push(t));

        const info = await api.loadModel({ path: modelPath, contextSize: 512 });
        expect(info).toMatchObject({ path: modelPath, contextSize: 512, architecture: 'llama' });
        expect(statuses.at(-1)).toMatchObject({ model: { path: modelPath }, loading: null });

        const conversation = await api.createConversation({});
        await api.updateConversationSettings({ id: conversation.id, sampling: { maxTokens: 10, contextSize: 512 } });
        const finished = new Promise<Message>((resolve) => {
          const off = api.onMessageFinished(({ message }) => {
            if (message.conversationId !== conversation.id) return;
            off();
            resolve(message);
          });
        });
        const started = await api.sendMessage({ conversationId: conversation.id, text: '  Hello bridge  ' });
        expect(started.userMessage).toMatchObject({ content: 'Hello bridge', role: 'user' });
        expect(started.assistantMessage).toMatchObject({ status: 'streaming', content: '' });
        expect(Object.keys(started).sort()).toEqual(['assistantMessage', 'userMessage']);
        await expect(api.sendMessage({ conversationId: conversation.id, text: 'again' })).rejects.toMatchObject({ code: 'CHAT_STATE' });

        const message = await finished;
        offTokens();
        offStatus();
        expect(message).toMatchObject({ id: started.assistantMessage.id, status: 'complete' });
        expect(message.metrics?.completionTokens).toBe(10);
        const own = tokens.filter((t) => t.messageId === message.id);
        expect(own.length).toBeGreaterThan(2);
        expect(own.map((t) => t.text).join('')).toBe(message.content);
        const stored = await api.getConversation({ id: conversation.id });
        expect(stored.title).toBe('Hello bridge');
        expect(stored.messages.at(-1)).toEqual(message);
        await api.unloadModel({});
        expect((await api.getEngineStatus({})).model).toBeNull();
      } finally {
        stopForwarding();
      }
    });
  });

  describe('forwardEvents', () => {
    it('sends core events under the contract channel names until unsubscribed', async () => {
      const first: [string, unknown][] = [];
      const second: [string, unknown][] = [];
      const stopFirst = forwardEvents(enclave, (channel, payload) => first.push([channel, payload]));
      const stopSecond = forwardEvents(enclave, (channel, payload) => second.push([channel, payload]));

      const a = expectOk<Conversation>(await call(handlers, 'createConversation', {}));
      expectOk(await call(handlers, 'deleteConversation', { id: a.id }));
      // The creation and the deletion.
      expect(first).toEqual([
        [eventChannel('conversationsChanged'), {}],
        [eventChannel('conversationsChanged'), {}]
      ]);
      expect(first[0]![0]).toBe('enclave:event:conversationsChanged');

      // Every core event name maps to its contract channel.
      for (const name of eventNames) enclave.events.emit(name, { probe: name } as never);
      expect(first.slice(2)).toEqual(eventNames.map((name) => [eventChannel(name), { probe: name }]));

      stopFirst();
      const b = expectOk<Conversation>(await call(handlers, 'createConversation', {}));
      expectOk(await call(handlers, 'deleteConversation', { id: b.id }));
      enclave.events.emit('chatToken', { conversationId: 'c', messageId: 'm', text: 'late' });
      expect(first).toHaveLength(2 + eventNames.length);
      // The other receiver is unaffected.
      expect(second.slice(-2)).toEqual([
        [eventChannel('conversationsChanged'), {}],
        [eventChannel('chatToken'), { conversationId: 'c', messageId: 'm', text: 'late' }]
      ]);
      stopSecond();
      stopSecond();
      enclave.events.emit('conversationsChanged', {});
      expect(second).toHaveLength(2 + eventNames.length + 3);
    });
  });
});
