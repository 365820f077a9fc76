import { Role, TaskState, type Message, type StreamResponse, type Task, type TaskStatus } from '@a2a-js/sdk';
import type { Logger } from '../base/log';
import type { AuditLog } from '../store/audit-repository';
import type { CommitBatcher } from '../store/commit-batcher';
import type { TaskRepository, TaskRow } from '../store/task-repository';
import type { TaskBus } from './bus';
import { taskFromRow, toJson, type TaskView } from './codec';
import { endsRun, type AgentExecutor, type TaskUpdate } from './executor';
import { newTaskEventJson, statusJson } from './event-json';
import { newId } from './ids';
import { messageText } from './task-text';
import { createTaskRepair } from './task-repair';
import { createTaskWriter } from './task-writer';
import { lazyAbort, stopSourceOf, type LazyAbort } from './lazy-abort';
import type { ClaimedRun, Dispatcher, DispatcherFactory, RunnableTask, TaskRunner } from './runner';
import { interruptedStates, isTerminal, stateFromName } from './states';
import { TaskError } from './task-error';
import type { TaskEvent, TaskEventKind } from './task-event';
import { listTasks, type ListInput, type ListResult } from './list-tasks';
import { watchTask, type PendingWatch, type TaskWatch } from './task-watch';
import { agentOf, codebaseOf, recordedMetadata, type SendInput, type SendOptions, type SendResult } from './send-input';
import { taskSetting } from './task-setting';

/** How a run lost to a host restart begins its note in the task's status message. */
export const lostRunReason = 'the host stopped while its agent ran';

export interface TaskServiceDeps {
  /** On the writer connection: state changes, and the reads they decide on. */
  repo: TaskRepository;
  /**
   * On a read-only connection: sees only committed data, so no reader is shown a write that may
   * not survive. Used while a batch is open; between batches the writer (whose page cache the
   * other connection's commits do not invalidate) serves reads, seeing the same committed data.
   */
  reader: TaskRepository;
  batch: CommitBatcher;
  bus: TaskBus;
  log: Logger;
  agents: ReadonlyMap<string, AgentExecutor>;
  /**
   * The agent for a message that names none: the default agent of the codebase it names (or of
   * the default codebase), else the host's default.
   */
  defaultAgent: (codebase: string | undefined) => string;
  /** Places runnable tasks on workers; without one, every task runs in this process at once. */
  dispatcher?: DispatcherFactory;
  /** Runs a task gets (config `maxAttempts`); a run lost to a host restart counts as one. Default: no limit. */
  maxAttempts?: number;
  /** Records each new task and who created it, in the same commit as the task. */
  audit?: Pick<AuditLog, 'append'>;
}


/**
 * The task core: every state change is atomic (a savepoint in the current group commit) and
 * appends its event with the task's next `seq`; only after the commit is the event fanned out and
 * the caller answered. Runnable tasks go to the dispatcher, which runs them in this process
 * (`runLocal`) or hands them to remote workers through the runner's claim/report/requeue.
 */
export function createTaskService(deps: TaskServiceDeps) {
  const { repo, batch, bus, log, agents } = deps;
  const committed = (): TaskRepository => (batch.pending() ? deps.reader : repo);
  const running = new Map<string, { controller: LazyAbort; done: Promise<void> }>();
  let closing = false;

  const { commit, mustGet, mustBeLocal, setStatus, putArtifact, answerWithMessage, insertTask, forgetRows } = createTaskWriter({ repo, batch, bus, onLost: (events, err) => repair.lost(events, err) });
  const repair = createTaskRepair({
    repo, bus, log, health: batch.health, maxAttempts: deps.maxAttempts ?? Infinity,
    stopRun(taskId) {
      running.get(taskId)?.controller.abort();
      dispatcher.cancel(taskId);
    },
    cancel: (row) => commit((now) => ({ events: [setStatus(row, TaskState.TASK_STATE_CANCELED, undefined, now)], value: undefined })),
    fail: (row, reason) => commit((now) => ({ events: [setStatus(row, TaskState.TASK_STATE_FAILED, hostNote(row.id, row.context_id, reason), now)], value: undefined })),
    requeue: (taskId, reason) => requeue(taskId, reason),
    dispatchAfterCommit: (taskId, agent, message, task) => batch.afterCommit(() => dispatch(taskId, agent, message, task)),
  });

  function applyUpdates(taskId: string, updates: TaskUpdate[]): void {
    commit((now) => {
      const row = mustGet(taskId);
      const events = updates.map((u) => {
        if (u.kind === 'status') return setStatus(row, u.state, u.message, now, u.metadata);
        if (u.kind === 'artifact') return putArtifact(row, u.artifact, u.append ?? false, u.lastChunk ?? false, now);
        return answerWithMessage(row, u.message, now);
      });
      return { events, value: undefined };
    });
  }

  function hostNote(taskId: string, contextId: string, text: string): Message {
    return {
      messageId: newId(), contextId, taskId, role: Role.ROLE_AGENT,
      parts: [{ content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: '' }],
      metadata: undefined, extensions: [], referenceTaskIds: [],
    };
  }

  function failTask(taskId: string, reason: string): void {
    try {
      commit((now) => {
        const row = mustGet(taskId);
        return { events: [setStatus(row, TaskState.TASK_STATE_FAILED, hostNote(taskId, row.context_id, reason), now)], value: undefined };
      });
    } catch (err) {
      log.warn('could not mark task failed', { taskId, error: (err as Error).message });
      // The store refused the write itself: the task needs the repair a lost commit gets.
      if (!(err instanceof TaskError)) repair.refused(taskId, err);
    }
  }

  function runLocal(job: RunnableTask): Promise<void> {
    const { taskId, agent: agentName, message, task } = job;
    const agent = agents.get(agentName);
    const controller = lazyAbort();
    const done = (async () => {
      await Promise.resolve();
      // Stopping: a queued task that a freed slot hands over now stays submitted, for `recover`
      // at the next start, instead of starting an agent only to kill it.
      if (closing) return;
      if (!agent) return failTask(taskId, `Agent "${agentName}" is not available on this host.`);
      // Judged by what this run reported, not by the row: a client may already have resumed
      // the task (input-required -> working) by the time this run's promise settles.
      let reachedEnd = false;
      try {
        await agent.execute({
          task,
          message,
          get signal() {
            return controller.signal;
          },
          update: (...updates) => {
            if (controller.aborted || reachedEnd) {
              throw new TaskError('invalid-transition', `Task ${taskId}'s run has ended; it may not report more.`);
            }
            applyUpdates(taskId, updates);
            reachedEnd = updates.some(endsRun);
          },
        });
        if (controller.aborted) return;
        if (!reachedEnd) failTask(taskId, `Agent "${agentName}" finished without reporting a result.`);
      } catch (err) {
        if (controller.aborted) return;
        log.warn('agent failed', { taskId, agent: agentName, error: (err as Error).message });
        failTask(taskId, `Agent "${agentName}" failed: ${(err as Error).message}`);
      }
    })().finally(() => {
      if (running.get(taskId)?.controller === controller) running.delete(taskId);
    });
    running.set(taskId, { controller, done });
    return done;
  }

  function claim(taskId: string, note: string): ClaimedRun | undefined {
    const row = repo.getTask(taskId);
    if (!row || isTerminal(stateFromName(row.state)!)) return undefined;
    commit((now) => ({ events: [setStatus(row, TaskState.TASK_STATE_WORKING, undefined, now, { worker: note })], value: undefined }));
    return { task: taskFromRow(repo, row), attempt: row.attempts };
  }

  function requeue(taskId: string, reason: string): Task {
    return commit((now) => {
      const row = mustGet(taskId);
      repo.bumpAttempts(taskId);
      row.attempts += 1;
      const event = setStatus(row, TaskState.TASK_STATE_SUBMITTED, hostNote(taskId, row.context_id, reason), now);
      return { events: [event], value: taskFromRow(repo, row) };
    });
  }

  const runner: TaskRunner = { runLocal, claim, report: applyUpdates, requeue, fail: failTask, durable: batch.durable };
  const dispatcher: Dispatcher = deps.dispatcher?.(runner) ?? {
    offer: (job) => void runLocal(job),
    cancel: () => {},
    hasAgent: (name) => agents.has(name),
    agentNames: () => [...agents.keys()],
    // A core without a dispatcher knows no codebases: its agents judge the name themselves.
    hasCodebase: () => true,
    codebaseNames: () => [],
  };

  /** `committed`: the task as just committed, when the caller has it; otherwise it is read back. */
  function dispatch(taskId: string, agent: string, message: Message, committed?: Task): void {
    dispatcher.offer({ taskId, agent, message, task: committed ?? get(taskId) });
  }

  function mustRead(taskId: string): TaskRow {
    const row = committed().getTask(taskId);
    if (!row) throw new TaskError('task-not-found', `Task ${taskId} does not exist.`);
    return row;
  }

  function get(taskId: string, view: TaskView = {}): Task {
    return taskFromRow(committed(), mustRead(taskId), view);
  }

  /** The task with the seq of the last event it reflects, read together: a subscriber continues right after `seq`. */
  function snapshot(taskId: string, view: TaskView = {}): { task: Task; seq: number } {
    const row = mustRead(taskId);
    return { task: taskFromRow(committed(), row, view), seq: row.last_seq };
  }

  function normalizeIncoming(message: Message, contextId: string, taskId: string): Message {
    return { ...message, contextId, taskId };
  }

  /** Starts `watch` (subscribed already) from the task as committed now; returns that snapshot. */
  function startWatch(watch: PendingWatch | undefined, taskId: string): { task: Task; seq: number } {
    const now = snapshot(taskId);
    watch?.start(now.task, now.seq);
    return now;
  }

  async function durableOrClose(watch: TaskWatch | undefined, unfollow: (() => void) | undefined | false): Promise<void> {
    try {
      await batch.durable();
    } catch (err) {
      watch?.close();
      if (unfollow) unfollow();
      throw err;
    }
  }

  /**
   * Commits the message (a new task, or the continuation of one waiting for input); resolves
   * once durable. With `watch`, the result follows the task from this message on.
   */
  async function send(input: SendInput, options: SendOptions = {}): Promise<SendResult> {
    if (closing) throw new TaskError('shutting-down', 'The host is shutting down; send the message again once it is back.');
    const { message } = input;
    if (message.parts.length === 0) throw new TaskError('invalid-params', 'message.parts must hold at least one part.');
    if (message.role !== Role.ROLE_USER) throw new TaskError('invalid-params', 'message.role must be ROLE_USER for a message sent to the agent.');
    const requested = agentOf(input);
    if (requested !== undefined && (typeof requested !== 'string' || !dispatcher.hasAgent(requested))) {
      throw new TaskError('invalid-params', `Unknown agent ${JSON.stringify(requested)}. Available agents: ${dispatcher.agentNames().join(', ')}.`);
    }
    // Like an unknown agent, an unknown codebase is the request's fault: refused, not a failed task.
    const codebase = input.metadata?.codebase ?? message.metadata?.codebase;
    if (codebase !== undefined && codebase !== null && (typeof codebase !== 'string' || !dispatcher.hasCodebase(codebase))) {
      const known = dispatcher.codebaseNames();
      throw new TaskError(
        'invalid-params',
        `Unknown codebase ${JSON.stringify(codebase)}. ${known.length ? `Registered codebases: ${known.join(', ')}.` : 'No codebase is registered.'} Register a folder with: codetether codebase add NAME PATH`,
      );
    }

    if (message.taskId) {
      const taskId = message.taskId;
      const result: { row: TaskRow; incoming: Message; firstSeq: number } = commit((now) => {
        const row = mustGet(taskId);
        mustBeLocal(row);
        if (message.contextId && message.contextId !== row.context_id) {
          throw new TaskError('invalid-params', `Task ${row.id} belongs to context ${row.context_id}, not ${message.contextId}.`);
        }
        const state = stateFromName(row.state)!;
        if (isTerminal(state)) {
          throw new TaskError('unsupported-operation', `Task ${row.id} is ${row.state} and cannot take more messages. Send the message without taskId (same contextId) to start a new task in this session.`);
        }
        if (!interruptedStates.has(state)) {
          throw new TaskError('unsupported-operation', `Task ${row.id} is ${row.state}; it takes a new message only while input-required or auth-required. Wait for it or cancel it.`);
        }
        const incoming = normalizeIncoming(message, row.context_id, row.id);
        repo.insertMessage({ messageId: incoming.messageId, contextId: row.context_id, taskId: row.id, role: 'user', json: toJson.message(incoming), now });
        repo.touchSession(row.context_id, now);
        const event = setStatus(row, TaskState.TASK_STATE_WORKING, undefined, now);
        return { events: [event], value: { row, incoming, firstSeq: event.seq } };
      }, () => dispatch(taskId, result.row.agent, result.incoming));
      const unfollow = options.follow && bus.subscribe(taskId, options.follow, options.followFault);
      const watch = options.watch ? watchTask(bus, taskId) : undefined;
      await durableOrClose(watch, unfollow);
      return { task: startWatch(watch, taskId).task, firstSeq: result.firstSeq, watch, unfollow: unfollow || undefined };
    }

    const agent = typeof requested === 'string' ? requested : deps.defaultAgent(codebaseOf(input));
    const contextId = message.contextId || newId();
    const taskId = newId();
    const incoming = normalizeIncoming(message, contextId, taskId);
    const task: Task = commit((now) => {
      repo.touchSession(contextId, now);
      const status: TaskStatus = { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: new Date(now).toISOString() };
      const metadata = recordedMetadata(input);
      const row: TaskRow = {
        id: taskId, context_id: contextId, agent, state: 'submitted', status_json: statusJson(status.state, status.timestamp, undefined),
        // Inserted with its first event already counted: saving the row again for event #1 would cost an UPDATE per send.
        metadata_json: metadata ? JSON.stringify(metadata) : null, last_seq: 1, attempts: 1, created_at: now, updated_at: now,
      };
      insertTask(row);
      const messageJson = toJson.message(incoming);
      repo.insertMessage({ messageId: incoming.messageId, contextId, taskId, role: 'user', json: messageJson, now });
      const snapshot: Task = { id: taskId, contextId, status, artifacts: [], history: [incoming], metadata };
      const response: StreamResponse = { payload: { $case: 'task', value: snapshot } };
      const json = newTaskEventJson(taskId, contextId, row.status_json, messageJson, metadata);
      repo.insertEvent(taskId, 1, 'task', json, now);
      deps.audit?.append({
        at: now, actor: input.origin?.actor ?? 'host', action: 'task.created', subject: taskId, source: input.origin?.source,
        detail: { agent, contextId, ...(codebaseOf(input) ? { codebase: codebaseOf(input) } : {}) },
      });
      return { events: [{ taskId, seq: 1, kind: 'task', json, response }], value: snapshot };
    }, () => dispatch(taskId, agent, incoming, task));
    const unfollow = options.follow && bus.subscribe(taskId, options.follow, options.followFault);
    const watch = options.watch ? watchTask(bus, taskId) : undefined;
    watch?.start(task, 1);
    await durableOrClose(watch, unfollow);
    return { task, firstSeq: 1, watch, unfollow: unfollow || undefined };
  }

  async function cancel(taskId: string): Promise<Task> {
    commit((now) => {
      const row = mustGet(taskId);
      mustBeLocal(row);
      if (isTerminal(stateFromName(row.state)!)) {
        throw new TaskError('task-not-cancelable', `Task ${taskId} is already ${row.state} and cannot be canceled.`);
      }
      return { events: [setStatus(row, TaskState.TASK_STATE_CANCELED, undefined, now)], value: undefined };
    });
    running.get(taskId)?.controller.abort();
    dispatcher.cancel(taskId);
    await batch.durable();
    return get(taskId);
  }

  function list(input: ListInput): ListResult {
    return listTasks(committed(), input);
  }

  function eventsAfter(taskId: string, afterSeq: number, limit?: number): TaskEvent[] {
    return committed().eventsAfter(taskId, afterSeq, limit).map((r) => ({ taskId, seq: r.seq, kind: r.kind as TaskEventKind, json: r.body_json }));
  }

  /** Resolves once the task is terminal or waiting on the client, with the task as it then is. */
  function settled(taskId: string, signal?: AbortSignal): Promise<Task> {
    const watch = watchTask(bus, taskId);
    try {
      startWatch(watch, taskId);
    } catch (err) {
      watch.close();
      return Promise.reject(err);
    }
    return watch.settled(signal && stopSourceOf(signal)).then((result) => {
      if ('id' in result) return result;
      throw new TaskError('task-not-found', `Task ${taskId} is gone: its agent answered with a message instead of a task ("${messageText(result).slice(0, 200)}").`);
    });
  }

  /**
   * Re-runs tasks a previous process left submitted or working. A working task's run died with
   * that process: like a run lost with a remote worker it costs an attempt, said in the task's
   * event log, and at `maxAttempts` the task fails instead. A submitted one had no run to lose
   * (a requeue already counted its attempt).
   */
  function recover(): number {
    const maxAttempts = deps.maxAttempts ?? Infinity;
    const rows = repo.unfinished();
    for (const row of rows) {
      const history = repo.history(row.id);
      const lastUser = [...history].reverse().map((j) => JSON.parse(j) as { role?: string }).find((m) => m.role === 'ROLE_USER');
      if (!lastUser) continue;
      const restored = taskFromRow(repo, row);
      const message = restored.history.filter((m) => m.role === Role.ROLE_USER).at(-1)!;
      if (row.state !== 'working') {
        log.info('dispatch task after restart', { taskId: row.id, state: row.state });
        dispatch(row.id, row.agent, message);
        continue;
      }
      const lost = lostRunReason;
      // The task's owner (Ralph, for its story attempts) decides what a lost run means: it is not re-run behind its back.
      if (taskSetting(restored, message, 'retry') === false) {
        log.info('task not re-run after restart (metadata retry: false)', { taskId: row.id });
        failTask(row.id, `${lost}; not re-run (metadata retry: false)`);
        continue;
      }
      if (row.attempts >= maxAttempts) {
        log.warn('task failed after restart', { taskId: row.id, attempts: row.attempts });
        failTask(row.id, `${lost}; failed after ${row.attempts} of ${maxAttempts} attempts`);
        continue;
      }
      log.info('requeue task after restart', { taskId: row.id, attempt: row.attempts + 1 });
      const of = Number.isFinite(maxAttempts) ? ` of ${maxAttempts}` : '';
      const task = requeue(row.id, `${lost}; requeued (attempt ${row.attempts + 1}${of})`);
      batch.afterCommit(() => dispatch(row.id, row.agent, message, task));
    }
    return rows.length;
  }

  /**
   * Refuses new work, gives running agents `graceMs` to finish, then stops the rest. Their
   * tasks stay as committed (working) and `recover` requeues them at the next start.
   */
  async function stop(graceMs: number): Promise<void> {
    closing = true;
    repair.stop();
    const all = () => Promise.allSettled([...running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([all().then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
    clearTimeout(timer);
    if (timedOut) {
      for (const r of running.values()) r.controller.abort();
      await all();
    }
    batch.flush();
    forgetRows();
  }

  return {
    send, get, snapshot, cancel, list, eventsAfter, settled, recover, stop,
    durable: batch.durable, subscribe: bus.subscribe, subscribeAll: bus.subscribeAll, listenerCount: bus.listenerCount,
    /** Whether the store commits: the health route reports it. */
    storeHealth: batch.health,
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
