import { Menu, Tray, nativeImage } from 'electron';
import type { TrayStatus } from './tray-status';

export interface TrayActions {
  openMonitor(): void;
  quit(): void;
}

export interface AppTray {
  show(status: TrayStatus): void;
}

/** The host keeps serving agents with the window closed; the tray is how a person gets back or out. */
export function createTray(iconPath: string, actions: TrayActions, initial: TrayStatus): AppTray {
  const tray = new Tray(nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 }));
  tray.on('click', () => actions.openMonitor());
  const show = (status: TrayStatus) => {
    tray.setToolTip(status.tooltip);
    // macOS shows a title next to the icon: the count of tasks waiting on the user, when any.
    tray.setTitle(status.needsInput ? String(status.needsInput) : '');
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: status.summary, enabled: false },
        { type: 'separator' },
        { label: 'Open monitor', click: () => actions.openMonitor() },
        { type: 'separator' },
        { label: 'Quit', click: () => actions.quit() },
      ]),
    );
  };
  show(initial);
  return { show };
}
