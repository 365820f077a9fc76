import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The platform's per-user app-data folder for CodeTether. */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'codetether');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'codetether');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'codetether');
}

/**
 * Creates `dir` (and its parents) or says in words a person can act on why it cannot be: Node's
 * recursive mkdir reports a read-only file system as ENOENT, so the nearest folder that exists
 * is asked whether it can be written to.
 */
export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    let existing = resolve(dir);
    while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
    try {
      accessSync(existing, constants.W_OK);
    } catch (access) {
      const code = (access as NodeJS.ErrnoException).code;
      if (code === 'EROFS') throw new Error(`${dir} is on a read-only file system (${existing} cannot be written to). Choose a writable folder with --data-dir.`, { cause: err });
      if (code === 'EACCES' || code === 'EPERM') throw new Error(`${dir} cannot be created: ${existing} is not writable by this user. Choose a writable folder with --data-dir.`, { cause: err });
    }
    throw err;
  }
}
