import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The absolute path `command` runs as under `pathEnv`, or undefined; a name with a slash must be absolute. */
export function findExecutable(command: string, pathEnv: string): string | undefined {
  if (command.includes('/')) return isAbsolute(command) && isExecutableFile(command) ? command : undefined;
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}
