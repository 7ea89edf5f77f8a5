// Electron adapter: the window, IPC from the contract, dialogs and the app lifecycle.
// Everything else lives in the core, which runs without Electron.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session, shell } from 'electron';
import { createCallHandlers } from '../bridge/createCallHandlers';
import { ApiServerController } from '../server/ApiServerController';
import { Enclave } from '../core/Enclave';
import { resolveDataDir } from '../core/paths';
import { PiiDetector } from '../core/privacy/PiiDetector';
import { builtPage, createMainWindow } from './createMainWindow';
import { checkElectronNative, loadKeytar, resolveElectronNativePaths } from './nativeModules';
import { registerIpc } from './registerIpc';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

const dataDir = resolveDataDir(flagValue(process.argv, '--data-dir'));
app.setPath('userData', dataDir);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  app.whenReady().then(start, fail);
}

let enclave: Enclave | null = null;
let window: BrowserWindow | null = null;

async function start(): Promise<void> {
  const native = resolveElectronNativePaths({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appRoot: app.getAppPath()
  });
  checkElectronNative(native, { electronVersion: process.versions.electron, platform: process.platform, arch: process.arch });
  enclave = Enclave.open({ dataDir, sqliteNativeBinding: native.betterSqlite3NativeBinding, keytar: loadKeytar(native) });
  enclave.conversations.recoverInterrupted();
  const apiServer = new ApiServerController(enclave, {
    request: (entry) =>
      console.log(
        `[api] ${entry.method} ${entry.route} ${entry.status} ${entry.durationMs.toFixed(0)}ms${entry.model ? ` ${entry.model}` : ''}`
      ),
    error: (error, entry) => console.error(`[api] ${entry.method} ${entry.route} failed:`, error)
  });
  await apiServer.restore();

  // No page gets camera, microphone, notifications or any other permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const pageUrl = devServerUrl ?? pathToFileURL(builtPage(outDir).file).toString();
  const isTrustedPage = trustedPageCheck(pageUrl);
  const ipc = registerIpc(
    enclave,
    createCallHandlers(enclave, {
      appVersion: app.getVersion(),
      apiServer,
      chooseModelFile: async () => {
        const result = await dialog.showOpenDialog(window ?? BrowserWindow.getAllWindows()[0]!, {
          title: 'Choose a GGUF model',
          properties: ['openFile'],
          filters: [
            { name: 'GGUF models', extensions: ['gguf'] },
            { name: 'All files', extensions: ['*'] }
          ]
        });
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      openExternal: (url) => shell.openExternal(url.toString())
    }),
    isTrustedPage
  );

  Menu.setApplicationMenu(buildMenu());
  window = createMainWindow({
    preloadPath: join(outDir, 'preload', 'index.cjs'),
    page: devServerUrl ? { url: devServerUrl } : builtPage(outDir)
  });
  ipc.attach(window.webContents);
  window.on('closed', () => (window = null));
  // Load the language analysis for PII detection once the window is up, so the first redacted cloud
  // message does not wait for it (the CLI and start-up itself never pay for it).
  window.once('ready-to-show', () => setTimeout(() => void PiiDetector.loadLanguageAnalysis().catch(() => {}), 3000));

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (!enclave) return;
    // Save partial replies and free the model before exiting.
    event.preventDefault();
    const closing = enclave;
    enclave = null;
    ipc.dispose();
    void apiServer
      .dispose()
      .then(() => closing.dispose())
      .finally(() => app.quit());
  });
}

function fail(error: unknown): void {
  dialog.showErrorBox('Enclave could not start', (error as Error)?.message ?? String(error));
  app.exit(1);
}

function buildMenu(): Menu {
  const isMac = process.platform === 'darwin';
  return Menu.buildFromTemplate([
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }])
      ]
    },
    { role: 'windowMenu' }
  ]);
}

/** The app's own page: the built index.html file, or the dev server's origin in development. */
function trustedPageCheck(pageUrl: string): (url: string) => boolean {
  const trusted = new URL(pageUrl);
  return (url) => {
    try {
      const candidate = new URL(url);
      return trusted.protocol === 'file:'
        ? candidate.protocol === 'file:' && candidate.pathname === trusted.pathname
        : candidate.origin === trusted.origin;
    } catch {
      return false;
    }
  };
}

function flagValue(argv: string[], flag: string): string | undefined {
  const inline = argv.find((arg) => arg.startsWith(`${flag}=`));
  if (inline) return inline.slice(flag.length + 1);
  const index = argv.indexOf(flag);
  return index >= 0 ? argv[index + 1] : undefined;
}
