import { Part, type Artifact, type Message, type StreamResponse, type TaskState, type TaskStatus } from '@a2a-js/sdk';
import type { CommitBatcher } from '../store/commit-batcher';
import type { TaskRepository, TaskRow } from '../store/task-repository';
import type { TaskBus } from './bus';
import { roleName, toJson } from './codec';
import { artifactEventJson, statusEventJson, statusJson } from './event-json';
import { createRowCache } from './row-cache';
import { canTransition, isTerminal, stateFromName, stateName } from './states';
import { TaskError } from './task-error';
import type { TaskEvent, TaskEventKind } from './task-event';

export interface TaskWriterDeps {
  /** On the writer connection. */
  repo: TaskRepository;
  batch: CommitBatcher;
  bus: TaskBus;
  /** A unit's commit failed: its events never happened. */
  onLost(events: TaskEvent[], err: unknown): void;
}

/**
 * The task core's units of work: `commit` runs one atomically in the current group commit, and
 * the changes inside it (status, artifact, event) keep the task row in memory and save it once.
 * Events reach the bus only after their commit.
 */
export function createTaskWriter({ repo, batch, bus, onLost }: TaskWriterDeps) {
  /** Rows changed by the current unit of work; `commit` saves each once, however many events it appended. */
  const dirty = new Set<TaskRow>();
  /** Rows the current unit inserted: remembered after commit like the dirty ones, but not saved again. */
  const inserted = new Set<TaskRow>();
  const rowCache = createRowCache();

  /** Appends the task's next event (`json`: `response` encoded); the row's counter moves in memory and is saved with the row. */
  function appendEvent(row: TaskRow, kind: TaskEventKind, response: StreamResponse, json: string, now: number): TaskEvent {
    const seq = ++row.last_seq;
    row.updated_at = now;
    dirty.add(row);
    repo.insertEvent(row.id, seq, kind, json, now);
    return { taskId: row.id, seq, kind, json, response };
  }

  function mustGet(taskId: string): TaskRow {
    const row = rowCache.get(taskId) ?? repo.getTask(taskId);
    if (!row) throw new TaskError('task-not-found', `Task ${taskId} does not exist.`);
    return row;
  }

  /** A task synced from another device is a read-only copy: only the device that runs it changes it. */
  function mustBeLocal(row: TaskRow): void {
    if (row.origin) {
      // Named as the user named that device; its id only until its index entry arrives.
      const name = repo.deviceName(row.origin);
      const device = name ? `device "${name}"` : `another device (${row.origin})`;
      throw new TaskError('unsupported-operation', `Task ${row.id} runs on ${device} and is read-only here. Send a message without taskId in context ${row.context_id} to continue the session on this device.`);
    }
  }

  function setStatus(row: TaskRow, state: TaskState, message: Message | undefined, now: number, metadata?: Record<string, unknown>): TaskEvent {
    const from = stateFromName(row.state)!;
    if (!canTransition(from, state)) {
      throw new TaskError('invalid-transition', `Task ${row.id} cannot go from ${row.state} to ${stateName(state)}.`);
    }
    const status: TaskStatus = { state, message, timestamp: new Date(now).toISOString() };
    const messageJson = message && toJson.message(message);
    row.state = stateName(state);
    row.status_json = statusJson(state, status.timestamp, messageJson);
    if (message) {
      repo.insertMessage({ messageId: message.messageId, contextId: row.context_id, taskId: row.id, role: roleName(message.role), json: messageJson!, now });
    }
    const response: StreamResponse = { payload: { $case: 'statusUpdate', value: { taskId: row.id, contextId: row.context_id, status, metadata } } };
    return appendEvent(row, 'statusUpdate', response, statusEventJson(row.id, row.context_id, row.status_json, metadata), now);
  }

  function putArtifact(row: TaskRow, artifact: Artifact, append: boolean, lastChunk: boolean, now: number): TaskEvent {
    if (isTerminal(stateFromName(row.state)!)) {
      throw new TaskError('invalid-transition', `Task ${row.id} is ${row.state}; it takes no more artifacts.`);
    }
    const artifactJson = toJson.artifact(artifact);
    // An append costs the size of what it adds, not of what is stored: output streams in many.
    if (append && repo.hasArtifact(row.id, artifact.artifactId)) {
      repo.appendArtifactParts(row.id, artifact.artifactId, JSON.stringify(artifact.parts.map((p) => Part.toJSON(p))));
    } else {
      repo.putArtifact(row.id, artifact.artifactId, row.last_seq + 1, artifactJson);
    }
    const response: StreamResponse = { payload: { $case: 'artifactUpdate', value: { taskId: row.id, contextId: row.context_id, artifact, append, lastChunk, metadata: undefined } } };
    return appendEvent(row, 'artifactUpdate', response, artifactEventJson(row.id, row.context_id, artifactJson, append, lastChunk), now);
  }

  /**
   * The agent answers the message that created the task with `message` instead of a task: the task
   * is removed in this unit of work, and the event that says so (kind 'message', the StreamResponse
   * a client gets) is published but not stored, since there is no task left to store it under. Only
   * as the first answer to a new task: once a client may have been shown a status message, an
   * artifact or a question, the task stays.
   */
  function answerWithMessage(row: TaskRow, message: Message, now: number): TaskEvent {
    const state = stateFromName(row.state)!;
    if (row.state !== 'submitted' && row.state !== 'working') {
      throw new TaskError('invalid-transition', `Task ${row.id} is ${row.state}; an agent may answer with a message only instead of a new task.`);
    }
    if (!repo.untouched(row.id)) {
      throw new TaskError('invalid-transition', `Task ${row.id} already has ${isTerminal(state) ? 'ended' : 'output or a status message'}; an agent may answer with a message only before anything else.`);
    }
    const reply: Message = { ...message, contextId: row.context_id, taskId: '' };
    const json = toJson.message(reply);
    repo.dissolveTask(row.id);
    repo.insertMessage({ messageId: reply.messageId, contextId: row.context_id, taskId: null, role: roleName(reply.role), json, now });
    repo.touchSession(row.context_id, now);
    dirty.delete(row);
    rowCache.drop(row.id);
    return { taskId: row.id, seq: row.last_seq + 1, kind: 'message', json: `{"message":${json}}`, response: { payload: { $case: 'message', value: reply } } };
  }

  /** Runs `work` atomically in the current batch; its events are published once that commits. */
  function commit<T>(work: (now: number) => { events: TaskEvent[]; value: T }, afterCommit?: () => void): T {
    if (!batch.pending()) rowCache.batchClosed();
    const { events, value, remember } = batch.run(() => {
      dirty.clear();
      inserted.clear();
      try {
        const result = work(Date.now());
        for (const row of dirty) repo.saveTask(row);
        return { ...result, remember: rowCache.wrote([...dirty, ...inserted]) };
      } finally {
        dirty.clear();
        inserted.clear();
      }
    });
    batch.afterCommit(
      () => {
        remember();
        bus.publish(events);
        afterCommit?.();
      },
      (err) => onLost(events, err),
    );
    return value;
  }

  /** Inserts a new task's row; it is remembered after commit like the rows a unit changed. */
  function insertTask(row: TaskRow): void {
    repo.insertTask(row);
    inserted.add(row);
  }

  return { commit, mustGet, mustBeLocal, setStatus, putArtifact, answerWithMessage, insertTask, forgetRows: rowCache.clear };
}

export type TaskWriter = ReturnType<typeof createTaskWriter>;
