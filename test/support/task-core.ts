import { Message } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createLogger } from '../../main/base/log';
import { createCommitBatcher } from '../../main/store/commit-batcher';
import { closeDatabase, openDatabase, type Db } from '../../main/store/open';
import { createTaskRepository } from '../../main/store/task-repository';
import { builtInAgents } from '../../main/tasks/agents';
import { createTaskBus } from '../../main/tasks/bus';
import type { AgentExecutor } from '../../main/tasks/executor';
import { createTaskService, type TaskService } from '../../main/tasks/service';

export interface Core {
  db: Db;
  tasks: TaskService;
  close(): Promise<void>;
}

/** A real task core on a SQLite file in `dir`, with the built-in agents plus `extra`. */
export function openCore(dir: string, extra: AgentExecutor[] = []): Core {
  const db = openDatabase(join(dir, 'codetether.db'));
  const readDb = openDatabase(join(dir, 'codetether.db'), { readonly: true });
  const agents = builtInAgents();
  for (const a of extra) agents.set(a.name, a);
  const log = createLogger('silent');
  const tasks = createTaskService({
    repo: createTaskRepository(db),
    reader: createTaskRepository(readDb),
    batch: createCommitBatcher(db, () => {}),
    bus: createTaskBus(() => {}),
    log,
    agents,
    defaultAgent: () => 'echo',
  });
  return {
    db,
    tasks,
    async close() {
      await tasks.stop(200);
      readDb.close();
      closeDatabase(db);
    },
  };
}

export function userMessage(text: string, extra: Partial<Record<string, unknown>> = {}): Message {
  return Message.fromJSON({ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }], ...extra });
}
