import { createCodebaseRepository } from './codebase-repository';
import { closeDatabase, openDatabase, type Db } from './open';
import type { CodebaseStore, StoreEngine, TaskStore } from './store-engine';
import { sqliteTokenStore } from './sqlite-token-store';
import { createTaskRepository } from './task-repository';

/**
 * The embedded engine behind the async ports: the host's own synchronous repositories, each
 * multi-statement call one IMMEDIATE transaction, so a second connection to the same file (the
 * CLI, another process) never sees half of it nor takes a `seq` twice.
 */
export function sqliteTaskStore(db: Db): TaskStore {
  const repo = createTaskRepository(db);
  return {
    touchSession: async (id, now) => repo.touchSession(id, now),
    sessionExists: async (id) => repo.sessionExists(id),
    createTask: async (task, message, first) =>
      repo.transaction(() => {
        if (repo.getTask(task.id)) return false;
        repo.touchSession(task.context_id, task.created_at);
        repo.insertTask({ ...task, last_seq: 1 });
        repo.insertMessage(message);
        repo.insertEvent(task.id, 1, first.kind, first.json, task.created_at);
        return true;
      }),
    getTask: async (id) => repo.getTask(id),
    appendEvent: async (taskId, e) =>
      repo.transaction(() => {
        const row = repo.getTask(taskId);
        if (!row) return undefined;
        const seq = row.last_seq + 1;
        repo.insertEvent(taskId, seq, e.kind, e.json, e.now);
        repo.saveTask({ ...row, state: e.status?.state ?? row.state, status_json: e.status?.statusJson ?? row.status_json, last_seq: seq, updated_at: e.now });
        return seq;
      }),
    eventsAfter: async (taskId, afterSeq, limit) => repo.eventsAfter(taskId, afterSeq, limit),
    insertMessage: async (m) => repo.insertMessage(m),
    history: async (taskId, limit) => repo.history(taskId, limit),
    putArtifact: async (taskId, artifactId, position, json) =>
      repo.transaction(() => {
        if (!repo.getTask(taskId)) return false;
        repo.putArtifact(taskId, artifactId, position, json);
        return true;
      }),
    appendArtifactParts: async (taskId, artifactId, partsJson) =>
      repo.transaction(() => {
        if (!repo.hasArtifact(taskId, artifactId)) return false;
        repo.appendArtifactParts(taskId, artifactId, partsJson);
        return true;
      }),
    artifacts: async (taskId) => repo.artifacts(taskId),
    unfinished: async () => repo.unfinished(),
    dissolveTask: async (taskId) =>
      repo.transaction(() => {
        if (!repo.getTask(taskId)) return false;
        repo.dissolveTask(taskId);
        return true;
      }),
    list: async (filter) => repo.list(filter),
  };
}

export function sqliteCodebaseStore(db: Db): CodebaseStore {
  const repo = createCodebaseRepository(db);
  return {
    insert: async (c) => repo.insert(c),
    get: async (name) => repo.get(name),
    list: async () => repo.list(),
    remove: async (name) => repo.remove(name),
  };
}

/** Opens (and migrates) the SQLite file as a store engine; `close` checkpoints and closes it. */
export function openSqliteEngine(file: string): StoreEngine {
  const db = openDatabase(file);
  return {
    kind: 'sqlite',
    tasks: sqliteTaskStore(db),
    codebases: sqliteCodebaseStore(db),
    tokens: sqliteTokenStore(db),
    close: async () => closeDatabase(db),
  };
}
