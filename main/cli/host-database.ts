import { loadConfig } from '../base/config';
import type { Config } from '../base/config-schema';
import { databaseFile } from '../store/paths';
import { closeDatabase, openDatabase, type Db } from '../store/open';

/** The flags of every command that works on the host's store. */
export const storeFlags = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
} as const;

/**
 * Opens the host's own database for one command. Safe while `serve` runs: WAL lets both
 * processes in, and the busy timeout covers the moment either one writes.
 */
export function withHostDatabase<T>(values: { 'data-dir'?: string; config?: string }, use: (db: Db, config: Config) => T): T {
  const config = loadConfig({ configFile: values.config, flags: { dataDir: values['data-dir'] } });
  const db = openDatabase(databaseFile(config.dataDir));
  try {
    return use(db, config);
  } finally {
    closeDatabase(db);
  }
}

/** `withHostDatabase` for a command that awaits (git, say) while it reads the database. */
export async function withHostDatabaseAsync<T>(values: { 'data-dir'?: string; config?: string }, use: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig({ configFile: values.config, flags: { dataDir: values['data-dir'] } });
  const db = openDatabase(databaseFile(config.dataDir));
  try {
    return await use(db, config);
  } finally {
    closeDatabase(db);
  }
}

/** The usage lines of `storeFlags`, shared by the commands that take them. */
export const storeFlagsUsage = `Common options:
  --data-dir <dir>  the host's data dir (default ~/.config/codetether)
  --config <file>   config file to read instead of <data-dir>/config.json`;
