import { homedir } from 'node:os';
import { join } from 'node:path';

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
