import { BrowserWindow, shell } from 'electron';
import { parseExternalUrl } from '../bridge/createCallHandlers';

export interface MainWindowOptions {
  preloadPath: string;
  /** The dev server URL in development, else app://enclave/index.html (served by registerAppProtocol). */
  pageUrl: string;
}

/** The one app window: isolated, sandboxed, no Node in the page, no navigation away from the app. */
export function createMainWindow({ preloadPath, pageUrl }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'Enclave',
    backgroundColor: '#111318',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      // Nothing here needs it, and on Linux it downloads its dictionaries from Google's servers.
      spellcheck: false
    }
  });
  window.once('ready-to-show', () => window.show());

  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternally(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());

  void window.loadURL(pageUrl);
  return window;
}

/** Links leave the app only as http(s), parsed first, through the system browser. */
function openExternally(raw: string): void {
  try {
    void shell.openExternal(parseExternalUrl(raw).toString());
  } catch {
    // Anything else (file:, javascript:, custom schemes) is dropped.
  }
}
