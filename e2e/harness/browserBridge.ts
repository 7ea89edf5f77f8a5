// Runs inside the test page before the app: builds `window.enclave` with the same exposeApi the
// Electron preload uses, over a Playwright binding to the real core instead of IPC.
import { exposeApi } from '../../src-preload/bridgeApi';
import type { BridgeResponse } from '../../src-preload/contract';

declare global {
  interface Window {
    __enclaveInvoke(channel: string, args: unknown): Promise<BridgeResponse<unknown>>;
    __enclaveEmit(channel: string, payload: unknown): void;
    /** Paths for Files a test drops on the page, standing in for Electron's webUtils.getPathForFile. */
    __enclaveFilePaths: WeakMap<File, string>;
  }
}

window.__enclaveFilePaths = new WeakMap();

const listeners = new Map<string, Set<(payload: unknown) => void>>();

window.__enclaveEmit = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener(payload);
};

Object.defineProperty(window, 'enclave', {
  value: exposeApi(
    {
      invoke: (channel, args) => window.__enclaveInvoke(channel, args),
      subscribe(channel, listener) {
        const set = listeners.get(channel) ?? new Set();
        set.add(listener);
        listeners.set(channel, set);
        return () => set.delete(listener);
      }
    },
    {
      pathForFile: (file) => window.__enclaveFilePaths.get(file) ?? null
    }
  ),
  writable: false
});
