import pg, { type Pool, type PoolClient } from 'pg';

/** BIGINT (oid 20) columns and count(*) as numbers: they hold epoch milliseconds and counters, all far below 2^53. */
const int8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8 && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface PoolOptions {
  /** Connections held at most; default 10. */
  max?: number;
}

/** A pool on `url` (postgres://user@host:port/db) whose BIGINTs arrive as numbers. */
export function createPool(url: string, options: PoolOptions = {}): Pool {
  return new pg.Pool({ connectionString: url, max: options.max ?? 10, types });
}

/** What a transaction body returns: its value, and whether to commit what it wrote or roll it back. */
export interface Outcome<T> {
  commit: boolean;
  value: T;
}

/**
 * Runs `fn` in one transaction on one connection; an error rolls back and is rethrown. The
 * connection of a failed transaction is closed, not pooled: after a lost connection or a failed
 * ROLLBACK its state is unknown, and a fresh one costs little next to handing it on.
 */
export async function transaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<Outcome<T>>): Promise<T> {
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN');
    let outcome: Outcome<T>;
    try {
      outcome = await fn(client);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    await client.query(outcome.commit ? 'COMMIT' : 'ROLLBACK');
    return outcome.value;
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    client.release(failed);
  }
}

/** Whether `err` is PostgreSQL's foreign_key_violation: a row points at a parent that is not there. */
export function isForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: unknown }).code === '23503';
}
