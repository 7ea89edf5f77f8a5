// The single list of calls (renderer -> main, request/response) and events
// (main -> renderer, push) between the UI and the core. The preload exposes
// exactly these, main registers handlers for exactly these, and the browser
// test harness wires them to the real core the same way.
import { z } from 'zod';
import type {
  ApiServerStatus,
  AppInfo,
  Conversation,
  ConversationSummary,
  EngineSettings,
  EngineStatus,
  ExchangeStarted,
  Message,
  ModelInfo,
  ThreadTuneResult
} from './types';

interface CallSpec<Args extends z.ZodType, Result> {
  args: Args;
  /** Type-only marker for the result; never read at run time. */
  result?: Result;
}

interface EventSpec<Payload> {
  payload?: Payload;
}

const call =
  <Result>() =>
  <Args extends z.ZodType>(args: Args): CallSpec<Args, Result> => ({ args });
const event = <Payload>(): EventSpec<Payload> => ({});

const id = z.string().min(1).max(64);
const noArgs = z.object({}).strict();
const positiveInt = (max: number) => z.number().int().min(1).max(max);

export const gpuLayersSchema = z.union([z.literal('auto'), z.number().int().min(0).max(10_000)]);
export const threadsSchema = z.union([z.literal('auto'), positiveInt(1024)]);

export const samplingSchema = z
  .object({
    temperature: z.number().min(0).max(2),
    topP: z.number().gt(0).max(1),
    maxTokens: positiveInt(131_072),
    contextSize: z.number().int().min(64).max(1_048_576).nullable()
  })
  .strict();

export const calls = {
  getAppInfo: call<AppInfo>()(noArgs),

  getEngineStatus: call<EngineStatus>()(noArgs),
  chooseModelFile: call<string | null>()(noArgs),
  loadModel: call<ModelInfo>()(
    z
      .object({
        path: z.string().min(1).max(4096),
        gpuLayers: gpuLayersSchema.optional(),
        contextSize: z.number().int().min(64).max(1_048_576).optional()
      })
      .strict()
  ),
  unloadModel: call<void>()(noArgs),
  tuneThreads: call<ThreadTuneResult>()(z.object({ force: z.boolean().optional() }).strict()),
  getEngineSettings: call<EngineSettings>()(noArgs),
  updateEngineSettings: call<EngineSettings>()(
    z
      .object({
        gpuLayers: gpuLayersSchema.optional(),
        contextSize: z.number().int().min(64).max(1_048_576).optional(),
        threads: threadsSchema.optional()
      })
      .strict()
  ),

  listConversations: call<ConversationSummary[]>()(z.object({ query: z.string().max(500).optional() }).strict()),
  createConversation: call<Conversation>()(
    z.object({ title: z.string().max(200).optional(), systemPrompt: z.string().max(100_000).optional() }).strict()
  ),
  getConversation: call<Conversation>()(z.object({ id }).strict()),
  renameConversation: call<ConversationSummary>()(z.object({ id, title: z.string().trim().min(1).max(200) }).strict()),
  deleteConversation: call<void>()(z.object({ id }).strict()),
  updateConversationSettings: call<Conversation>()(
    z.object({ id, systemPrompt: z.string().max(100_000).optional(), sampling: samplingSchema.partial().optional() }).strict()
  ),

  sendMessage: call<ExchangeStarted>()(z.object({ conversationId: id, text: z.string().trim().min(1).max(1_000_000) }).strict()),
  stopGeneration: call<void>()(z.object({ conversationId: id }).strict()),
  regenerate: call<ExchangeStarted>()(z.object({ conversationId: id }).strict()),
  editMessage: call<ExchangeStarted>()(z.object({ messageId: id, text: z.string().trim().min(1).max(1_000_000) }).strict()),

  getApiServerStatus: call<ApiServerStatus>()(noArgs),
  setApiServerEnabled: call<ApiServerStatus>()(
    z.object({ enabled: z.boolean(), port: z.number().int().min(1024).max(65_535).optional() }).strict()
  ),
  rotateApiToken: call<ApiServerStatus>()(noArgs),

  openExternal: call<void>()(z.object({ url: z.string().min(1).max(8192) }).strict())
};

export const events = {
  engineStatusChanged: event<EngineStatus>(),
  modelLoadProgress: event<{ path: string; progress: number }>(),
  tuneProgress: event<{ threads: number; tokensPerSecond: number; step: number; steps: number }>(),
  chatToken: event<{ conversationId: string; messageId: string; text: string }>(),
  messageFinished: event<{ message: Message }>(),
  conversationsChanged: event<Record<string, never>>()
};

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallArgs<N extends CallName> = z.input<Calls[N]['args']>;
export type CallResult<N extends CallName> = NonNullable<Calls[N]['result']> extends never ? void : Exclude<Calls[N]['result'], undefined>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Exclude<Events[E]['payload'], undefined>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export const callChannel = (name: CallName) => `enclave:call:${name}`;
export const eventChannel = (name: EventName) => `enclave:event:${name}`;

type EventMethods = {
  [E in EventName as `on${Capitalize<E>}`]: (listener: (payload: EventPayload<E>) => void) => () => void;
};

/**
 * What the preload puts on `window.enclave`: one method per call, one `onX` per event. Calls
 * resolve to a BridgeResponse, never reject: contextBridge keeps only an Error's message, and
 * the renderer needs the code too.
 */
export type ExposedApi = {
  [N in CallName]: (args: CallArgs<N>) => Promise<BridgeResponse<CallResult<N>>>;
} & EventMethods;

/** What the renderer's code uses: calls return their result or throw an EnclaveBridgeError with its code. */
export type EnclaveApi = {
  [N in CallName]: (args: CallArgs<N>) => Promise<CallResult<N>>;
} & EventMethods;

export const eventMethodName = (name: EventName) => `on${name[0]!.toUpperCase()}${name.slice(1)}`;

/** Errors cross the bridge as plain data so the renderer can show the message and act on the code. */
export interface BridgeError {
  code: string;
  message: string;
}

export type BridgeResponse<T> = { ok: true; value: T } | { ok: false; error: BridgeError };
