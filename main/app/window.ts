import { BrowserWindow, screen, shell } from 'electron';
import { isAppPage, isExternalUrl, pageUrl, type AppLocation } from './navigation';
import { readWindowState, restoreBounds, writeWindowState } from './window-state';

export interface WindowOptions {
  location: AppLocation;
  preload: string;
  icon: string;
  /** Where the window's size and position are kept between runs. */
  stateFile: string;
}

/** Moves and resizes come in bursts; the state is written once a burst settles. */
const SAVE_DELAY_MS = 500;

function openOutside(url: string): void {
  if (isExternalUrl(url)) void shell.openExternal(url);
}

/** The monitor window: isolated, sandboxed, and unable to leave its own page. */
export function createMainWindow({ location, preload, icon, stateFile }: WindowOptions): BrowserWindow {
  const saved = readWindowState(stateFile);
  const win = new BrowserWindow({
    ...restoreBounds(saved?.bounds, screen.getAllDisplays().map((d) => d.workArea)),
    show: false,
    title: 'CodeTether',
    icon,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    },
  });
  const { webContents } = win;

  webContents.on('will-navigate', (event, url) => {
    if (isAppPage(url, location)) return;
    event.preventDefault();
    openOutside(url);
  });
  webContents.on('will-attach-webview', (event) => event.preventDefault());
  webContents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => {
    if (saved?.maximized) win.maximize();
    win.show();
  });

  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    if (win.isDestroyed()) return;
    try {
      writeWindowState(stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch {
      // A read-only data dir costs only the remembered size, not the window.
    }
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', saveSoon);
  win.on('unmaximize', saveSoon);
  win.on('close', save);

  void win.loadURL(pageUrl(location));
  return win;
}
