import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, session, shell, type BrowserWindow } from 'electron';
import type { LoginItem } from '../../shared/ipc-contract';
import { loadConfigWithOrigin } from '../base/config';
import { startHost, type Host } from '../host/host';
import iconPath from '../../build/icon.png?asset';
import { contentSecurityPolicy } from './csp';
import { registerIpc, sendIpcEvent } from './ipc';
import { createIpcHandlers } from './ipc-handlers';
import { electronNativeDir, sqliteAddonName } from './native-binding';
import type { AppLocation } from './navigation';
import { notify } from './notifications';
import { createAlertFilter } from './task-alerts';
import { promptOf } from '../tasks/task-text';
import { createTray } from './tray';
import { trayStatus } from './tray-status';
import { createMainWindow } from './window';
import { windowStateFile } from './window-state';

const preload = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
/** Known once the host listens: the window shows the monitor the host serves (see AppLocation). */
let location: AppLocation | undefined;

/** Packaged: shipped in resources/native; from source: the copy `codetether desktop` builds. */
function sqliteBinding(): string | undefined {
  const file = app.isPackaged ? join(process.resourcesPath, 'native', sqliteAddonName) : join(electronNativeDir(app.getAppPath()), sqliteAddonName);
  return existsSync(file) ? file : undefined;
}

let win: BrowserWindow | undefined;
let host: Host | undefined;

function openMonitor(): void {
  if (!win || win.isDestroyed()) {
    // A new window shows itself once painted (ready-to-show), without a blank flash.
    win = createMainWindow({ location: location!, preload, icon: iconPath, stateFile: windowStateFile(host!.config.dataDir) });
    return;
  }
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function openTask(taskId: string): void {
  openMonitor();
  const w = win!;
  // A window created just now has no page to listen yet: tell it once it has loaded.
  if (w.webContents.isLoading()) w.webContents.once('did-finish-load', () => sendIpcEvent(w, 'nav:openTask', { taskId }));
  else sendIpcEvent(w, 'nav:openTask', { taskId });
}

// Electron sets login items on macOS and Windows only; elsewhere the switch is shown as unavailable.
const loginSupported = process.platform === 'darwin' || process.platform === 'win32';
const loginItem = {
  get: (): LoginItem => ({ supported: loginSupported, openAtLogin: loginSupported && app.getLoginItemSettings().openAtLogin }),
  set(openAtLogin: boolean): LoginItem {
    if (loginSupported) app.setLoginItemSettings({ openAtLogin });
    return loginItem.get();
  },
};

/** Tray counts follow the task log; a burst of status changes costs one count query. */
const TRAY_DELAY_MS = 300;

function watchTasks(h: Host): void {
  const { reads } = h;
  const tray = createTray(iconPath, { openMonitor, quit: () => app.quit() }, trayStatus(reads.counts().counts));
  const alertFor = createAlertFilter((taskId) => promptOf(h.tasks.get(taskId)));
  let timer: NodeJS.Timeout | undefined;
  h.tasks.subscribeAll((event) => {
    if (event.kind === 'artifactUpdate') return;
    const alert = alertFor(event);
    if (alert) notify(alert, iconPath, openTask);
    timer ??= setTimeout(() => {
      timer = undefined;
      tray.show(trayStatus(reads.counts().counts));
    }, TRAY_DELAY_MS);
  });
}

async function start(): Promise<void> {
  try {
    const { config, ...configOrigin } = loadConfigWithOrigin();
    host = await startHost(config, { nativeBinding: sqliteBinding(), configOrigin, trustedOrigins: devServerUrl ? [new URL(devServerUrl).origin] : [] });
  } catch (err) {
    dialog.showErrorBox('CodeTether could not start', (err as Error).message);
    app.exit(1);
    return;
  }
  const hostUrl = new URL(host.urls.health).origin;
  const here: AppLocation = devServerUrl ? { kind: 'dev', devServerUrl } : { kind: 'host', origin: hostUrl };
  location = here;

  // The host sends the monitor with its own CSP; the dev server sends none, so the shell adds one.
  if (here.kind === 'dev') {
    const csp = contentSecurityPolicy({ connect: [hostUrl], dev: true });
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      if (details.resourceType !== 'mainFrame') return callback({});
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
    });
  }
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const handlers = createIpcHandlers({
    info: () => ({ version: app.getVersion(), hostUrl, platform: process.platform }),
    pickFolder: async () => {
      const options = { properties: ['openDirectory' as const] };
      const result = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    openExternal: (url) => shell.openExternal(url),
    loginItem,
  });
  registerIpc(handlers, here, () => win);

  watchTasks(host);
  openMonitor();
}

if (!app.requestSingleInstanceLock()) {
  // The first instance owns the host's port and database; it shows its window instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (host) openMonitor();
  });
  // Without this listener Electron quits when the last window closes; the host should keep
  // serving agents, and the tray reopens the window.
  app.on('window-all-closed', () => {});
  app.on('activate', () => {
    if (host) openMonitor();
  });

  let quitting: Promise<void> | undefined;
  app.on('before-quit', (event) => {
    if (!host) return;
    // Let in-flight work finish or persist and the database close before the process ends.
    event.preventDefault();
    quitting ??= host.stop().then(
      () => app.exit(0),
      () => app.exit(1),
    );
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  void app.whenReady().then(start);
}
