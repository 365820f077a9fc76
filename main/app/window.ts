import { BrowserWindow, shell } from 'electron';
import { isAppPage, isExternalUrl, type AppLocation } from './navigation';

export interface WindowOptions {
  location: AppLocation;
  preload: string;
  icon: string;
}

function openOutside(url: string): void {
  if (isExternalUrl(url)) void shell.openExternal(url);
}

/** The monitor window: isolated, sandboxed, and unable to leave its own page. */
export function createMainWindow({ location, preload, icon }: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
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
  win.once('ready-to-show', () => win.show());

  if (location.kind === 'dev') void win.loadURL(location.devServerUrl);
  else void win.loadURL(location.indexUrl);
  return win;
}
