import {
  callChannel,
  callNames,
  eventChannel,
  eventMethodName,
  eventNames,
  type BridgeError,
  type BridgeResponse,
  type EnclaveApi
} from './contract';

/** How the API reaches main: IPC in Electron, a Playwright binding in the browser harness. */
export interface BridgeTransport {
  invoke(channel: string, args: unknown): Promise<BridgeResponse<unknown>>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

/** An error raised in main, rebuilt in the renderer with its code so the UI can act on it. */
export class EnclaveBridgeError extends Error {
  readonly code: string;
  constructor({ code, message }: BridgeError) {
    super(message);
    this.name = 'EnclaveBridgeError';
    this.code = code;
  }
}

export function createApi(transport: BridgeTransport): EnclaveApi {
  const api: Record<string, unknown> = {};
  for (const name of callNames) {
    api[name] = async (args: unknown = {}) => {
      const response = await transport.invoke(callChannel(name), args);
      if (!response.ok) throw new EnclaveBridgeError(response.error);
      return response.value;
    };
  }
  for (const name of eventNames) {
    api[eventMethodName(name)] = (listener: (payload: unknown) => void) =>
      transport.subscribe(eventChannel(name), listener);
  }
  return Object.freeze(api) as EnclaveApi;
}
