import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { callChannel, callNames, type BridgeResponse } from '../../src-preload/contract';
import { dispatchCall, forwardEvents, type CallHandlers } from '../bridge/createCallHandlers';
import type { Enclave } from '../core/Enclave';
import { ErrorCode } from '../core/shared/errorCodes';

/**
 * Registers one handler per contract call. A call is answered only when it comes from the main
 * frame of a window this process created and that frame shows the app's own page.
 */
export function registerIpc(
  enclave: Enclave,
  handlers: CallHandlers,
  isTrustedPage: (url: string) => boolean
): {
  attach(contents: WebContents): void;
  dispose(): void;
} {
  const attached = new Map<WebContents, () => void>();

  const isTrustedSender = (event: IpcMainInvokeEvent) =>
    attached.has(event.sender) &&
    event.senderFrame !== null &&
    event.senderFrame === event.sender.mainFrame &&
    isTrustedPage(event.senderFrame.url);

  for (const name of callNames) {
    const channel = callChannel(name);
    ipcMain.handle(channel, (event, args: unknown): Promise<BridgeResponse<unknown>> | BridgeResponse<unknown> => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: ErrorCode.Forbidden, message: 'Call refused: unknown sender.' } };
      return dispatchCall(handlers, channel, args);
    });
  }

  return {
    attach(contents) {
      const stopForwarding = forwardEvents(enclave, (channel, payload) => {
        if (!contents.isDestroyed()) contents.send(channel, payload);
      });
      attached.set(contents, stopForwarding);
      contents.once('destroyed', () => {
        attached.get(contents)?.();
        attached.delete(contents);
      });
    },
    dispose() {
      for (const name of callNames) ipcMain.removeHandler(callChannel(name));
      for (const stop of attached.values()) stop();
      attached.clear();
    }
  };
}
