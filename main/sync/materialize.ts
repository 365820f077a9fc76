import type * as Y from 'yjs';
import type { SyncRepository } from '../store/sync-repository';
import type { Logger } from '../base/log';
import { INDEX_DOC } from './doc-names';
import { materializeRoaming } from './materialize-roaming';
import { MESSAGES, META, messageRecord, SESSIONS, sessionEntry, TASKS, taskSummary, type MessageRecord, type SessionEntry, type TaskSummary } from './records';

/** Origins of transactions that must not be written back into the tables. */
export const FROM_STORE = Symbol('store');
export const LOCAL = Symbol('local');

export interface Materializer {
  /** Writes what the last remote transaction brought into the tables; called inside the SQLite transaction that stores it. */
  drain(): void;
}

export interface MaterializeDeps {
  repo: SyncRepository;
  deviceId: string;
  log: Logger;
  /** Another device changed this session's document; its tasks changed up to `updatedAt`. */
  onRemoteSession(doc: string, updatedAt: number): void;
}

function isRemote(origin: unknown): boolean {
  return origin !== FROM_STORE && origin !== LOCAL;
}

/**
 * Watches one document for changes that came from the relay and turns them into rows: a task
 * summary into `tasks` (origin = the device that runs it) and `artifacts`, a message into
 * `messages`, an index entry into `sessions` plus a note to fetch that session's document, and
 * another device's codebases and display name into `sync_codebases` and `sync_devices`.
 * Records this device wrote itself are skipped; they are in the tables already.
 */
export function materializeDoc(name: string, doc: Y.Doc, deps: MaterializeDeps): Materializer {
  const { repo, deviceId, log } = deps;
  let summaries: TaskSummary[] = [];
  let messages: MessageRecord[] = [];
  let entries: SessionEntry[] = [];

  function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown, what: string): T | undefined {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    log.warn('ignoring a malformed synced record', { doc: name, what });
    return undefined;
  }

  const drainRoaming = name === INDEX_DOC ? materializeRoaming(doc, deviceId, isRemote, parse) : undefined;
  if (name === INDEX_DOC) {
    const sessions = doc.getMap(SESSIONS);
    sessions.observe((event) => {
      if (!isRemote(event.transaction.origin)) return;
      for (const key of event.keysChanged) {
        const entry = parse(sessionEntry, sessions.get(key), 'session entry');
        if (entry && entry.device !== deviceId) entries.push(entry);
      }
    });
  } else {
    const tasks = doc.getMap(TASKS);
    tasks.observe((event) => {
      if (!isRemote(event.transaction.origin)) return;
      for (const key of event.keysChanged) {
        const summary = parse(taskSummary, tasks.get(key), 'task summary');
        if (summary && summary.device !== deviceId) summaries.push(summary);
      }
    });
    doc.getArray(MESSAGES).observe((event) => {
      if (!isRemote(event.transaction.origin)) return;
      for (const item of event.changes.added) {
        for (const value of item.content.getContent()) {
          const record = parse(messageRecord, value, 'message');
          if (record && record.device !== deviceId) messages.push(record);
        }
      }
    });
  }

  return {
    drain() {
      const contextId = name === INDEX_DOC ? undefined : (doc.getMap(META).get('contextId') as string | undefined);
      for (const entry of entries) {
        repo.upsertSession(entry.contextId, entry.createdAt, entry.updatedAt);
        repo.markStale(entry.doc, Date.now());
        deps.onRemoteSession(entry.doc, entry.updatedAt);
      }
      drainRoaming?.(repo.roaming);
      if (contextId !== undefined) {
        // Tasks first: a message names its task, and the row must exist for the reference.
        for (const t of summaries) {
          repo.putRemoteTask({
            id: t.id, contextId, agent: t.agent, state: t.state, statusJson: t.status, metadataJson: t.metadata,
            origin: t.device, createdAt: t.createdAt, updatedAt: t.updatedAt, artifacts: t.artifacts,
          });
        }
        for (const m of messages) {
          repo.putRemoteMessage({ messageId: m.id, contextId, taskId: m.taskId, role: m.role, json: m.json, createdAt: m.at });
        }
      } else if (summaries.length || messages.length) {
        log.warn('a session document without its context id; its records wait for it', { doc: name });
        return;
      }
      summaries = [];
      messages = [];
      entries = [];
    },
  };
}
