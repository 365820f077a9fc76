import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { ipcChannels, type IpcHandlers } from '../../shared/ipc-contract';
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
