import { join } from 'node:path';

/** The host's database inside its data dir; the host and the CLI's store commands open the same file. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'codetether.db');
}
