import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from './migrate';
import { migrations } from './migrations';

export type RelayDb = Database.Database;

export function relayDbFile(dataDir: string): string {
  return join(dataDir, 'relay.db');
}

/**
 * Opens the relay's database: WAL so `token` commands can run beside a serving relay, and
 * synchronous=NORMAL, under which a committed transaction survives a killed process (only power
 * loss can drop the newest commits), which is the durability the relay promises before it
 * acknowledges an update.
 */
export function openRelayDb(dataDir: string): RelayDb {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(relayDbFile(dataDir));
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Checkpoints the WAL into the main file and closes, so the file stands on its own. */
export function closeRelayDb(db: RelayDb): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
