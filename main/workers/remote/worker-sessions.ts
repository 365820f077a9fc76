import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createAgentSessionRepository } from '../../store/agent-session-repository';
import type { Migration } from '../../store/migration';
import { m0009 } from '../../store/migrations/0009-agent-sessions';
import { closeDatabase, openDatabase } from '../../store/open';
import type { AgentSessions } from '../adapters/cli-agent';

/**
 * A worker keeps only its identity and its agents' CLI session ids: tasks and everything else
 * live on the host. The sessions table is the host's (migration 0009), numbered afresh in a
 * schema of its own.
 */
const workerMigrations: readonly Migration[] = [
  { ...m0009, version: 1 },
  { version: 2, name: 'worker-identity', sql: 'CREATE TABLE identity (worker_id TEXT NOT NULL) STRICT;' },
];

export interface WorkerSessions extends AgentSessions {
  /**
   * This data dir's worker id, made on first use and kept: a restarted worker is the same worker
   * to the host, which sends a context's next task back to it (its CLI sessions are here).
   */
  workerId: string;
  close(): void;
}

/** Another process holds worker.db: two workers on one data dir would share an identity. */
export class WorkerDataDirBusyError extends Error {}

/** The worker's own database in its data dir. */
export function workerDatabaseFile(dataDir: string): string {
  return join(dataDir, 'worker.db');
}

/**
 * The CLI session ids of each A2A context this worker ran, in `<dataDir>/worker.db`, so the next
 * task of a context continues the CLI's session, also after the worker restarted. Each put is
 * committed at once: a crash loses none.
 */
export function openWorkerSessions(dataDir: string): WorkerSessions {
  const file = workerDatabaseFile(dataDir);
  const busy = (err: unknown) =>
    (err as { code?: string }).code === 'SQLITE_BUSY'
      ? new WorkerDataDirBusyError(`${file} is in use by another codetether worker; give each worker its own --data-dir.`, { cause: err })
      : err;
  let db;
  try {
    // No waiting: the only other process that may hold worker.db is a second worker on this data dir.
    db = openDatabase(file, { migrations: workerMigrations, busyTimeoutMs: 0 });
  } catch (err) {
    throw busy(err);
  }
  try {
    // Held until this process closes it or dies: a second worker on the data dir cannot open it.
    db.pragma('locking_mode = EXCLUSIVE');
    const workerId = db.transaction(() => {
      const held = db.prepare<[], { worker_id: string }>('SELECT worker_id FROM identity').get();
      if (held) return held.worker_id;
      const made = randomUUID();
      db.prepare('INSERT INTO identity (worker_id) VALUES (?)').run(made);
      return made;
    }).immediate();
    const repo = createAgentSessionRepository(db);
    return { workerId, get: repo.get, put: repo.put, close: () => closeDatabase(db) };
  } catch (err) {
    db.close();
    throw busy(err);
  }
}
