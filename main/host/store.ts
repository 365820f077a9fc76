import { createTokenStore, type TokenStore } from '../auth/token-store';
import { HostStartError } from '../base/errors';
import type { LifetimeStack } from '../base/lifetime';
import { createAuditLog, type AuditLog } from '../store/audit-repository';
import { createA2aPeerRepository, type A2aPeerRepository } from '../store/a2a-peer-repository';
import { createAgentSessionRepository, type AgentSessionRepository } from '../store/agent-session-repository';
import { createCodebaseRepository, type CodebaseRepository } from '../store/codebase-repository';
import { createEmailRepositories, type EmailRepositories } from '../store/email-repository';
import { createHookRepository, type HookRepository } from '../store/hook-repository';
import { closeDatabase, openDatabase, type Db } from '../store/open';
import { databaseFile } from '../store/paths';
import { createOAuthRepository, type OAuthRepository } from '../store/oauth-repository';
import { createPushRepository, type PushRepository } from '../store/push-repository';
import { createRalphRepository, type RalphRepository } from '../store/ralph-repository';
import { createRoamingRepository, type RoamingRepository } from '../store/roaming-repository';
import { createSummaryRepository, type SummaryRepository } from '../store/summary-repository';
import { createSyncRepository, type SyncRepository } from '../store/sync-repository';
import { createTaskRepository, type TaskRepository } from '../store/task-repository';
import { createWorkerRepository, type WorkerRepository } from '../store/worker-repository';

/** Every repository the host uses, each built once on the host's two connections. */
export interface HostStore {
  /** The one writer connection. */
  readonly db: Db;
  /** A read-only connection for queries that must not wait behind the writer's batches. */
  readonly readDb: Db;
  readonly tasks: TaskRepository;
  readonly taskReader: TaskRepository;
  readonly codebases: CodebaseRepository;
  readonly tokens: TokenStore;
  readonly push: PushRepository;
  readonly sync: SyncRepository;
  readonly roaming: RoamingRepository;
  /** Task and session summaries for the monitor, MCP and the desktop shell, on the read connection: committed rows only, as the live feeds describe. */
  readonly summaries: SummaryRepository;
  readonly workers: WorkerRepository;
  readonly agentSessions: AgentSessionRepository;
  readonly a2aPeers: A2aPeerRepository;
  readonly ralph: RalphRepository;
  readonly email: EmailRepositories;
  readonly hooks: HookRepository;
  readonly audit: AuditLog;
  readonly oauth: OAuthRepository;
}

/** Opens the data dir's database and builds the repositories; closing is registered on `stack`. */
export function openHostStore(dataDir: string, stack: LifetimeStack, options: { nativeBinding?: string; auditMaxBytes: number }): HostStore {
  const { nativeBinding } = options;
  const file = databaseFile(dataDir);
  let db: Db;
  let readDb: Db;
  try {
    db = openDatabase(file, { nativeBinding });
    stack.defer('database', () => closeDatabase(db));
    readDb = openDatabase(file, { nativeBinding, readonly: true });
    stack.defer('read connection', () => void readDb.close());
  } catch (err) {
    throw new HostStartError(`Cannot open the database in ${dataDir}: ${(err as Error).message}`, { cause: err });
  }
  return {
    db,
    readDb,
    tasks: createTaskRepository(db),
    taskReader: createTaskRepository(readDb),
    codebases: createCodebaseRepository(db),
    tokens: createTokenStore(db),
    push: createPushRepository(db),
    sync: createSyncRepository(db),
    roaming: createRoamingRepository(readDb),
    summaries: createSummaryRepository(readDb),
    workers: createWorkerRepository(db),
    agentSessions: createAgentSessionRepository(db),
    a2aPeers: createA2aPeerRepository(db),
    ralph: createRalphRepository(db),
    email: createEmailRepositories(db),
    hooks: createHookRepository(db),
    audit: createAuditLog(db, { maxBytes: options.auditMaxBytes }),
    oauth: createOAuthRepository(db),
  };
}
