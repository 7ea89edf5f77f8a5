// Electron adapter: the window, IPC from the contract, dialogs and the app lifecycle.
// Everything else lives in the core, which runs without Electron.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session, shell } from 'electron';
import { createCallHandlers } from '../bridge/createCallHandlers';
import { ApiServerController } from '../server/ApiServerController';
import { Enclave } from '../core/Enclave';
import { resolveDataDir } from '../core/paths';
import { prepareDataDir } from '../core/prepareDataDir';
import { createMainWindow } from './createMainWindow';
import { checkElectronNative, loadKeytar, resolveElectronNativePaths } from './nativeModules';
import { handleAppProtocol, registerAppSchemePrivileges } from './registerAppProtocol';
import { registerIpc } from './registerIpc';
import { APP_PAGE_URL } from './resolveAppProtocolPath';
import { allowsPermission, findDebugSwitch, trustedPageCheck, DEBUG_SWITCHES } from './trustedPageCheck';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

// A packaged app never runs with a debugger port or pipe open: anyone on the machine could drive
// it (read chats, the pseudonym vault). The fuses turn off Node's own inspect flags; Chromium's are refused here.
const debugSwitch = app.isPackaged
  ? (DEBUG_SWITCHES.find((name) => app.commandLine.hasSwitch(name)) ?? findDebugSwitch(process.argv.slice(1)))
  : null;
const dataDir = resolveDataDir(flagValue(process.argv, '--data-dir'));

if (debugSwitch) {
  console.error(`Enclave does not run with --${debugSwitch}: debugging switches are refused in the installed app.`);
  app.exit(1);
} else {
  try {
    // Owner-only (0700) before Chromium puts anything in it.
    prepareDataDir(dataDir);
  } catch {
    // Enclave.open tries again and shows the error; a loose existing folder is reported there too.
  }
  app.setPath('userData', dataDir);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
  } else {
    registerAppSchemePrivileges();
    app.enableSandbox();
    app.whenReady().then(start, fail);
  }
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
  enclave.startHost();
  const apiServer = new ApiServerController(enclave, {
    request: (entry) =>
      console.log(
        `[api] ${entry.method} ${entry.route} ${entry.status} ${entry.durationMs.toFixed(0)}ms${entry.model ? ` ${entry.model}` : ''}`
      ),
    error: (error, entry) => console.error(`[api] ${entry.method} ${entry.route} failed:`, error)
  });
  await apiServer.restore();

  const pageUrl = devServerUrl ?? APP_PAGE_URL;
  const isTrustedPage = trustedPageCheck(pageUrl);
  handleAppProtocol(join(outDir, 'renderer'));
  // No page gets camera, microphone, screen capture, devices, notifications or any other
  // permission; the app's own page may only write text to the clipboard.
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowsPermission(permission, details.requestingUrl, isTrustedPage))
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowsPermission(permission, requestingOrigin, isTrustedPage));
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
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
      chooseDocumentFiles: async () => {
        const result = await dialog.showOpenDialog(window ?? BrowserWindow.getAllWindows()[0]!, {
          title: 'Add documents',
          properties: ['openFile', 'multiSelections'],
          filters: [
            { name: 'Documents', extensions: ['pdf', 'docx', 'md', 'markdown', 'txt', 'html', 'htm', 'csv', 'tsv'] },
            { name: 'All files', extensions: ['*'] }
          ]
        });
        return result.canceled ? [] : result.filePaths;
      },
      openExternal: (url) => shell.openExternal(url.toString())
    }),
    isTrustedPage
  );

  Menu.setApplicationMenu(buildMenu());
  window = createMainWindow({
    preloadPath: join(outDir, 'preload', 'index.cjs'),
    pageUrl
  });
  ipc.attach(window.webContents);
  window.on('closed', () => (window = null));

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

function flagValue(argv: string[], flag: string): string | undefined {
  const inline = argv.find((arg) => arg.startsWith(`${flag}=`));
  if (inline) return inline.slice(flag.length + 1);
  const index = argv.indexOf(flag);
  return index >= 0 ? argv[index + 1] : undefined;
}
