import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { ipcChannels, type IpcEventChannel, type IpcEvents, type IpcHandlers } from '../../shared/ipc-contract';
import { isTrustedSender } from './ipc-sender';
import type { AppLocation } from './navigation';

/** Registers every contract channel; a message from anywhere but our window's own page is refused. */
export function registerIpc(handlers: IpcHandlers, location: AppLocation, getWindow: () => BrowserWindow | undefined): void {
  const trusted = (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame;
    const win = getWindow();
    return isTrustedSender(
      frame && { url: frame.url, isOurMainFrame: win !== undefined && !win.isDestroyed() && frame === win.webContents.mainFrame },
      location,
    );
  };
  for (const channel of ipcChannels) {
    const handler = handlers[channel] as (request: unknown) => unknown;
    ipcMain.handle(channel, (event, request: unknown) => {
      if (!trusted(event)) throw new Error(`IPC ${channel} refused: sender is not the CodeTether window.`);
      return handler(request);
    });
  }
}

/** Sends a contract event to our window's page; nothing when there is no window. */
export function sendIpcEvent<K extends IpcEventChannel>(win: BrowserWindow | undefined, channel: K, payload: IpcEvents[K]): void {
  if (win && !win.isDestroyed()) win.webContents.send(channel, payload);
}
