import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/**
 * This installation's own `node_modules/.bin`, nearest above this file: the `opencode-ai`
 * dependency puts `opencode` there, so the bundled agent runs with nothing installed globally.
 * Undefined where there is none (a bundle without node_modules).
 */
export const installationBin: string | undefined = (() => {
  for (let dir = import.meta.dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const bin = join(dir, 'node_modules', '.bin');
    if (existsSync(bin)) return bin;
  }
  return undefined;
})();

/** The PATH agents get: this installation's CLIs first, then the host's PATH. */
export function agentPath(hostPath: string | undefined): string {
  return [installationBin, hostPath].filter(Boolean).join(delimiter);
}
