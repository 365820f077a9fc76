import { join } from 'node:path';
import { createAgentSessionRepository } from '../../store/agent-session-repository';
import type { Migration } from '../../store/migration';
import { m0009 } from '../../store/migrations/0009-agent-sessions';
import { closeDatabase, openDatabase } from '../../store/open';
import type { AgentSessions } from '../adapters/cli-agent';

/**
 * A worker keeps only its agents' CLI session ids: tasks and everything else live on the host.
 * The table is the host's (migration 0009), numbered afresh in a schema of its own.
 */
const workerMigrations: readonly Migration[] = [{ ...m0009, version: 1 }];

export interface WorkerSessions extends AgentSessions {
  close(): void;
}

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
  const db = openDatabase(workerDatabaseFile(dataDir), { migrations: workerMigrations });
  const repo = createAgentSessionRepository(db);
  return { get: repo.get, put: repo.put, close: () => closeDatabase(db) };
}
