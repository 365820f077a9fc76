import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { ensureDir } from '../base/data-dir';
import { migrate } from './migrate';
import type { Migration } from './migration';
import { migrations as shipped } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  migrations?: readonly Migration[];
  readonly?: boolean;
  /** Path of a better_sqlite3.node built for another runtime (Electron's ABI); default: the one npm built for Node. */
  nativeBinding?: string;
  /** How long to wait for another process's lock; default 5000 ms. */
  busyTimeoutMs?: number;
}

/**
 * Opens the one writer connection: WAL so readers never block the writer, foreign keys on,
 * synchronous=NORMAL (a committed transaction survives a process crash; only power loss can
 * drop the newest commits), and a busy timeout for a second process such as `codetether token`.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  ensureDir(dirname(file));
  const db = new Database(file, { readonly: options.readonly ?? false, nativeBinding: options.nativeBinding });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    // Savepoints (one per unit of work in a group commit) journal into temp storage: keep it in memory.
    db.pragma('temp_store = MEMORY');
    if (!options.readonly) migrate(db, options.migrations ?? shipped);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Checkpoints the WAL into the main file and closes, so the file is whole on its own. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  if (!db.readonly) db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
