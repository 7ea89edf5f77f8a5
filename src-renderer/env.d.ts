/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { ExposedApi } from '../src-preload/contract';

declare global {
  interface Window {
    /** Exposed by the preload: the only way the renderer reaches the core. */
    enclave: ExposedApi;
  }
}

export {};
