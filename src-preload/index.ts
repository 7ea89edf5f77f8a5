// The preload exposes exactly the contract's named methods; never ipcRenderer or the IPC event.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { exposeApi } from './bridgeApi';
import type { BridgeResponse } from './contract';

const api = exposeApi(
  {
    invoke: (channel, args) => ipcRenderer.invoke(channel, args) as Promise<BridgeResponse<unknown>>,
    subscribe(channel, listener) {
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => ipcRenderer.removeListener(channel, forward);
    }
  },
  {
    // A dropped File carries no path in the page; only the preload can ask Electron for it.
    pathForFile: (file) => webUtils.getPathForFile(file) || null
  }
);

contextBridge.exposeInMainWorld('enclave', api);
