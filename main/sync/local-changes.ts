import { storedMessageText, titleOf } from '../../shared/message-text';
import type { Logger } from '../base/log';
import type { SyncRepository, SyncTaskRow } from '../store/sync-repository';
import type { TaskEvent } from '../tasks/task-event';
import { INDEX_DOC, sessionDocName } from './doc-names';
import { LOCAL } from './materialize';
import { MESSAGES, META, SESSIONS, TASKS, type MessageRecord, type SessionEntry } from './records';
import type { StoredDoc } from './stored-doc';
import { summarize } from './task-summary';

export interface LocalChangesDeps {
  repo: SyncRepository;
  deviceId: string;
  log: Logger;
  /** The loaded document, loading it when it is not. */
  open(name: string): StoredDoc;
  /** After a flush: these documents have new local updates for the relay. */
  written(names: string[]): void;
  /** A flush failed: these documents may be ahead of the store and must be reloaded. */
  failed(names: string[]): void;
}

/** Tasks written into their session documents per flush; more wait for the next tick. */
const BATCH = 200;

/**
 * Puts this device's task changes into the session documents, off the task core's hot path:
 * committed events only note the task id, and once per tick the noted tasks are read back
 * from the tables and written, all in one SQLite transaction with their updates and
 * watermarks. Reading the rows (not the events) makes a flush idempotent, and the watermark
 * (`sync_tasks`) lets `catchUp` find tasks a crash or a fresh join left behind.
 */
export function createLocalChanges(deps: LocalChangesDeps) {
  const { repo, deviceId, log } = deps;
  const noted = new Set<string>();
  let timer: NodeJS.Immediate | undefined;
  let stopped = false;
  let lastFlushFailed = false;

  function schedule(): void {
    if (!stopped) timer ??= setImmediate(flush);
  }

  function writeTask(row: SyncTaskRow, touched: Map<string, StoredDoc>, sessions: Map<string, { row: SyncTaskRow; firstUser?: string }>): void {
    const name = sessionDocName(row.context_id);
    const stored = deps.open(name);
    touched.set(name, stored);
    const { doc } = stored;
    const mark = repo.watermark(row.id);
    const messages = repo.messagesAfter(row.id, mark.message_seq);
    const summary = summarize(row, repo, deviceId);
    const tasks = doc.getMap(TASKS);
    const previous = tasks.get(row.id) as { state?: string } | undefined;
    const summaryChanged = JSON.stringify(previous) !== JSON.stringify(summary);
    if (summaryChanged || messages.length > 0) {
      doc.transact(() => {
        const meta = doc.getMap(META);
        if (meta.get('contextId') !== row.context_id) meta.set('contextId', row.context_id);
        if (summaryChanged) tasks.set(row.id, summary);
        if (messages.length > 0) {
          const records: MessageRecord[] = messages.map((m) => ({ id: m.message_id, taskId: m.task_id, role: m.role, json: m.body_json, at: m.created_at, device: deviceId }));
          doc.getArray<MessageRecord>(MESSAGES).push(records);
        }
      }, LOCAL);
      // The index tells other devices which session to fetch: a new message or a new state is
      // news, a status that only restamps the same state is not (and would grow the index).
      if (messages.length > 0 || previous?.state !== summary.state) {
        const prev = sessions.get(name);
        sessions.set(name, { row, firstUser: prev?.firstUser ?? messages.find((m) => m.role === 'user')?.body_json });
      }
    }
    repo.putWatermark(row.id, row.last_seq, messages.at(-1)?.seq ?? mark.message_seq);
  }

  function writeIndex(sessions: Map<string, { row: SyncTaskRow; firstUser?: string }>, touched: Map<string, StoredDoc>): void {
    if (sessions.size === 0) return;
    const index = deps.open(INDEX_DOC);
    touched.set(INDEX_DOC, index);
    const map = index.doc.getMap<SessionEntry>(SESSIONS);
    index.doc.transact(() => {
      for (const [name, { row, firstUser }] of sessions) {
        const key = `${deviceId}/${name}`;
        const prev = map.get(key);
        map.set(key, {
          doc: name,
          contextId: row.context_id,
          title: prev?.title || titleOf(storedMessageText(firstUser)),
          createdAt: prev?.createdAt ?? repo.sessionCreatedAt(row.context_id) ?? row.created_at,
          updatedAt: Math.max(prev?.updatedAt ?? 0, row.updated_at),
          device: deviceId,
        });
      }
    }, LOCAL);
  }

  function flush(): void {
    timer = undefined;
    const ids = [...noted].slice(0, BATCH);
    for (const id of ids) noted.delete(id);
    if (noted.size > 0) schedule();
    const touched = new Map<string, StoredDoc>();
    try {
      repo.transaction(() => {
        const sessions = new Map<string, { row: SyncTaskRow; firstUser?: string }>();
        for (const id of ids) {
          const row = repo.task(id);
          if (row && row.origin === null) writeTask(row, touched, sessions);
        }
        writeIndex(sessions, touched);
      });
    } catch (err) {
      log.error('could not write task changes into sync documents', { error: (err as Error).message, tasks: ids.length });
      lastFlushFailed = true;
      deps.failed([...touched.keys()]);
      return;
    }
    lastFlushFailed = false;
    if (touched.size > 0) deps.written([...touched.keys()]);
  }

  /** Notes local tasks whose document lags their events, a batch per tick (the flush goes first) until none do. */
  function catchUp(): void {
    if (stopped || lastFlushFailed) return;
    const behind = repo.tasksBehind(BATCH);
    for (const id of behind) noted.add(id);
    schedule();
    if (behind.length === BATCH) setImmediate(catchUp);
  }

  return {
    /** The task bus's subscribeAll listener. */
    onEvent(event: TaskEvent): void {
      noted.add(event.taskId);
      schedule();
    },
    catchUp,
    stop(): void {
      stopped = true;
      if (timer) clearImmediate(timer);
      timer = undefined;
    },
  };
}
