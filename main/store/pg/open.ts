import type { StoreEngine } from '../store-engine';
import { pgCodebaseStore } from './codebase-store';
import { migratePg } from './migrate';
import { pgMigrations } from './migrations';
import { createPool, type PoolOptions } from './pool';
import { pgTaskStore } from './task-store';
import { pgTokenStore } from './token-store';

/**
 * Connects to `url` (postgres://user@host:port/db), applies the pending PostgreSQL migrations
 * and returns the store engine on one pool; `close` ends the pool's connections.
 */
export async function openPgEngine(url: string, options: PoolOptions = {}): Promise<StoreEngine> {
  const pool = createPool(url, options);
  // An idle connection the server drops (restart, failover) is an 'error' on the pool: the next query takes a fresh one.
  pool.on('error', () => undefined);
  try {
    await migratePg(pool, pgMigrations);
  } catch (err) {
    await pool.end();
    throw new Error(`Cannot open the PostgreSQL store at ${redact(url)}: ${(err as Error).message}`, { cause: err });
  }
  let closing: Promise<void> | undefined;
  return { kind: 'postgres', tasks: pgTaskStore(pool), codebases: pgCodebaseStore(pool), tokens: pgTokenStore(pool), close: () => (closing ??= pool.end()) };
}

/** The URL without its password, for messages and logs. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the given URL';
  }
}
