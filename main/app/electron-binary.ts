import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface ElectronInstall {
  /** The executable to spawn. */
  binary: string;
  version: string;
}

/**
 * The installed Electron, or undefined when only its npm package is there. Under plain Node,
 * `require('electron')` returns the executable's path, and throws when the postinstall download
 * never happened (no path.txt), which is the normal state on CI and on this project's dev machines.
 */
export function findElectron(root: string): ElectronInstall | undefined {
  const req = createRequire(join(root, 'package.json'));
  let binary: unknown;
  try {
    binary = req('electron');
  } catch {
    return undefined;
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return undefined;
  const { version } = req('electron/package.json') as { version: string };
  return { binary, version };
}
