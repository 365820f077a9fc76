import { Role, TaskState, type Message, type Task } from '@a2a-js/sdk';
import type { Logger } from '../base/log';
import type { StoreHealth } from '../store/commit-batcher';
import type { TaskRepository, TaskRow } from '../store/task-repository';
import type { TaskBus } from './bus';
import { taskFromRow } from './codec';
import { interruptedStates, isTerminal, stateFromName } from './states';
import type { TaskEvent } from './task-event';

/** The first retry of a repair after a failed commit; while commits keep failing the wait doubles, up to the max. */
const REPAIR_FIRST_MS = 250;
const REPAIR_MAX_MS = 2_000;

export interface TaskRepairDeps {
  /** On the writer connection. */
  repo: TaskRepository;
  bus: TaskBus;
  log: Logger;
  health(): StoreHealth;
  maxAttempts: number;
  /** Stops the task's run wherever it is (this process, a remote worker). */
  stopRun(taskId: string): void;
  /** Each one commit in the current batch; after it commits, `dispatch` offers the task again where asked. */
  cancel(row: TaskRow): void;
  fail(row: TaskRow, reason: string): void;
  requeue(taskId: string, reason: string): Task;
  /** Offers the task to the dispatcher once what is written so far has committed. */
  dispatchAfterCommit(taskId: string, agent: string, message: Message, task?: Task): void;
}

function statusOf(event: TaskEvent): TaskState | undefined {
  const p = event.response?.payload;
  return p?.$case === 'statusUpdate' ? p.value.status?.state : undefined;
}

/**
 * What the task core does when a commit fails (a full disk, say): the events it held never
 * happened, so the task's row is as before them while its run went on. The run is stopped,
 * whoever waits on the task is told at once (a blocking send gets the error, a stream ends with
 * it), and the task is repaired once the store writes again: requeued (an attempt counted) or
 * failed at `maxAttempts`, or canceled when the lost change was a cancel. A repair whose own
 * commit fails comes back here and is tried again later.
 */
export function createTaskRepair(deps: TaskRepairDeps) {
  const { repo, bus, log, maxAttempts } = deps;
  /** Tasks left behind their runs, with the store's reason and whether the lost change was a cancel. */
  const damaged = new Map<string, { reason: string; cancel: boolean }>();
  let timer: NodeJS.Timeout | undefined;
  let delay = REPAIR_FIRST_MS;
  let stopped = false;

  function markLost(taskId: string, err: unknown, cancel: boolean): void {
    const reason = (err as Error)?.message ?? String(err);
    damaged.set(taskId, { reason, cancel: cancel || damaged.get(taskId)?.cancel === true });
    deps.stopRun(taskId);
    bus.fault(taskId, new Error(`The host could not save task ${taskId}'s progress: ${reason}. It is requeued or failed once the store can write again; GetTask shows where it stands.`));
    schedule();
  }

  function schedule(): void {
    if (stopped || timer) return;
    // While commits still fail each try waits twice as long as the last; the batcher's probe finds the space first.
    delay = deps.health().ok ? REPAIR_FIRST_MS : Math.min(delay * 2, REPAIR_MAX_MS);
    timer = setTimeout(repairAll, delay);
    timer.unref();
  }

  function lastUserMessage(row: TaskRow): Message | undefined {
    return taskFromRow(repo, row).history.filter((m) => m.role === Role.ROLE_USER).at(-1);
  }

  function repairOne(taskId: string, d: { reason: string; cancel: boolean }): void {
    const row = repo.getTask(taskId);
    if (!row) return;
    const state = stateFromName(row.state)!;
    // Ended, or waiting on its client (whose message was then lost, and told so): nothing runs.
    if (isTerminal(state) || interruptedStates.has(state)) return;
    const message = lastUserMessage(row);
    if (!message) return;
    const note = `the host could not save its progress (${d.reason})`;
    if (d.cancel) deps.cancel(row);
    // The run never got as far as a committed start: offered again, no attempt spent.
    else if (row.state === 'submitted') deps.dispatchAfterCommit(taskId, row.agent, message);
    else if (row.attempts >= maxAttempts) deps.fail(row, `${note}; failed after ${row.attempts} of ${maxAttempts} attempts`);
    else {
      const of = Number.isFinite(maxAttempts) ? ` of ${maxAttempts}` : '';
      deps.dispatchAfterCommit(taskId, row.agent, message, deps.requeue(taskId, `${note}; requeued (attempt ${row.attempts + 1}${of})`));
    }
    log.info('repairing a task after a failed commit', { taskId, state: row.state });
  }

  function repairAll(): void {
    timer = undefined;
    if (stopped) return;
    for (const [taskId, d] of [...damaged]) {
      damaged.delete(taskId);
      try {
        repairOne(taskId, d);
      } catch (err) {
        if (!damaged.has(taskId)) damaged.set(taskId, d);
        log.warn('could not repair a task yet', { taskId, error: (err as Error).message });
      }
    }
    if (damaged.size) schedule();
  }

  return {
    /** The task writer's onLost: a unit's commit failed. */
    lost(events: TaskEvent[], err: unknown): void {
      for (const taskId of new Set(events.map((e) => e.taskId))) {
        markLost(taskId, err, events.some((e) => e.taskId === taskId && statusOf(e) === TaskState.TASK_STATE_CANCELED));
      }
    },
    /** The store refused a write of the task outright (the unit threw instead of committing later). */
    refused(taskId: string, err: unknown): void {
      markLost(taskId, err, false);
    },
    stop(): void {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
