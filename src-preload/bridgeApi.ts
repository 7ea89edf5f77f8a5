import type { ErrorCode } from '../src-main/core/shared/errorCodes';
import {
  callChannel,
  callNames,
  eventChannel,
  eventMethodName,
  eventNames,
  type BridgeError,
  type BridgeResponse,
  type EnclaveApi,
  type ExposedApi,
  preloadHelperNames,
  type PreloadHelpers
} from './contract';

/** How the API reaches main: IPC in Electron, a Playwright binding in the browser harness. */
export interface BridgeTransport {
  invoke(channel: string, args: unknown): Promise<BridgeResponse<unknown>>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

/** An error raised in main, rebuilt in the renderer with its code so the UI can act on it. */
export class EnclaveBridgeError extends Error {
  readonly code: ErrorCode;
  constructor({ code, message }: BridgeError) {
    super(message);
    this.name = 'EnclaveBridgeError';
    this.code = code;
  }
}

/** Builds the exposed object from the contract: every call and event, and the preload's own helpers; nothing else. */
export function exposeApi(transport: BridgeTransport, helpers: PreloadHelpers): ExposedApi {
  const api: Record<string, unknown> = {};
  // Copied one by one so only the named helpers cross, never the object passed in.
  for (const name of preloadHelperNames) api[name] = helpers[name];
  for (const name of callNames) api[name] = (args: unknown = {}) => transport.invoke(callChannel(name), args);
  for (const name of eventNames) {
    api[eventMethodName(name)] = (listener: (payload: unknown) => void) => transport.subscribe(eventChannel(name), listener);
  }
  return Object.freeze(api) as unknown as ExposedApi;
}

/** Renderer side: turns each call's BridgeResponse back into a result or a thrown EnclaveBridgeError. */
export function unwrapApi(exposed: ExposedApi): EnclaveApi {
  const api: Record<string, unknown> = { ...exposed };
  for (const name of callNames) {
    const call = exposed[name] as (args: unknown) => Promise<BridgeResponse<unknown>>;
    api[name] = async (args: unknown = {}) => {
      const response = await call(args);
      if (!response.ok) throw new EnclaveBridgeError(response.error);
      return response.value;
    };
  }
  return Object.freeze(api) as unknown as EnclaveApi;
}
