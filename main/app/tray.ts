import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  openMonitor(): void;
  quit(): void;
}

/** The host keeps serving agents with the window closed; the tray is how a person gets back or out. */
export function createTray(iconPath: string, actions: TrayActions): Tray {
  const tray = new Tray(nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 }));
  tray.setToolTip('CodeTether');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open monitor', click: () => actions.openMonitor() },
      { type: 'separator' },
      { label: 'Quit', click: () => actions.quit() },
    ]),
  );
  tray.on('click', () => actions.openMonitor());
  return tray;
}
