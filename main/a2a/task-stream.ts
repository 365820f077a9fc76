import type { StreamResponse, TaskState } from '@a2a-js/sdk';
import { UnsupportedOperationError } from '@a2a-js/sdk/errors';
import type { ServerCallContext } from '@a2a-js/sdk/server';
import type { TaskService } from '../tasks/service';
import { isSettled, isTerminal, stateName } from '../tasks/states';
import { decodeEvent, type TaskEvent } from '../tasks/task-event';
import { pushSeq, signalOf } from './call-context';
import { toA2AError } from './errors';

/** Live events held for one stream before it falls back to re-reading the store: a count... */
const MAX_QUEUED = 1000;
/** ...and their size, since one event may carry a large output batch. */
const MAX_QUEUED_CHARS = 4 * 1024 * 1024;
/** Events read from the store per pass: a client resuming far behind must not load its whole backlog at once. */
const STORE_PAGE = 32;

const STATE_ONLY = { includeArtifacts: false, historyLength: 0 };

/** A stream ends where the task stops for good or waits on the client. */
function endsStream(state: TaskState | undefined): boolean {
  return state !== undefined && isSettled(state);
}

function stateOf(response: StreamResponse): TaskState | undefined {
  const p = response.payload;
  if (p?.$case === 'statusUpdate') return p.value.status?.state;
  if (p?.$case === 'task') return p.value.status?.state;
  return undefined;
}

/**
 * `afterSeq`: yield the events with a seq above it (a stream's start, or Last-Event-ID).
 * `snapshot`: SubscribeToTask: yield the Task first, then the events after it; a task that
 * is already terminal is refused, as the spec asks.
 */
export type FollowFrom = { afterSeq: number } | { snapshot: true };

/**
 * Yields a task's events from the store after `afterSeq`, then live ones, until the task is
 * terminal or interrupted or the caller's signal aborts. Each event's seq goes to the
 * transport through pushSeq right before it is yielded.
 *
 * The bus subscription is taken before anything is read, so an event committed at any point
 * is either in what we read from the store or in the queue; duplicates are dropped by seq.
 * The queue is only a fast path: when it overflows (a slow consumer) it is discarded and the
 * store is read again, so memory stays bounded and no event is lost.
 */
export async function* followTask(tasks: TaskService, taskId: string, ctx: ServerCallContext, from: FollowFrom): AsyncGenerator<StreamResponse, void, undefined> {
  const signal = signalOf(ctx);
  let queue: TaskEvent[] = [];
  let queuedChars = 0;
  let overflowed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const unsubscribe = tasks.subscribe(taskId, (event) => {
    if (overflowed) return;
    if (queue.length >= MAX_QUEUED || queuedChars + event.json.length > MAX_QUEUED_CHARS) {
      overflowed = true;
      queue = [];
      queuedChars = 0;
    } else {
      queue.push(event);
      queuedChars += event.json.length;
    }
    notify();
  });
  signal?.addEventListener('abort', notify);
  try {
    let start;
    try {
      // A resume needs only where the task is: its artifacts may be many megabytes of output.
      start = tasks.snapshot(taskId, 'snapshot' in from ? {} : STATE_ONLY);
    } catch (err) {
      throw toA2AError(err);
    }
    let last = 'afterSeq' in from ? from.afterSeq : start.seq;
    if ('snapshot' in from) {
      const state = start.task.status?.state;
      if (state !== undefined && isTerminal(state)) {
        throw new UnsupportedOperationError(`Task ${taskId} is already ${stateName(state)}; there is nothing to subscribe to. Use GetTask to read it.`);
      }
      pushSeq(ctx, start.seq);
      yield { payload: { $case: 'task', value: start.task } };
    }
    // The first pass reads the backlog from the store; so does a pass after an overflow.
    let fromStore = true;
    for (;;) {
      if (signal?.aborted) return;
      let batch: TaskEvent[];
      if (fromStore || overflowed) {
        fromStore = overflowed = false;
        // Everything queued so far is committed, so this read covers it.
        queue = [];
        queuedChars = 0;
        batch = tasks.eventsAfter(taskId, last, STORE_PAGE);
        fromStore = batch.length === STORE_PAGE;
        // Nothing after `last` and the task already at rest: a resume past the end (or a
        // subscribe to a task waiting on its client) has nothing more coming.
        if (batch.length === 0 && endsStream(tasks.snapshot(taskId, STATE_ONLY).task.status?.state)) return;
      } else if (queue.length) {
        batch = queue;
        queue = [];
        queuedChars = 0;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      for (const event of batch) {
        if (event.seq <= last) continue;
        last = event.seq;
        const response = decodeEvent(event);
        pushSeq(ctx, event.seq);
        yield response;
        if (signal?.aborted || endsStream(stateOf(response))) return;
      }
    }
  } finally {
    signal?.removeEventListener('abort', notify);
    unsubscribe();
  }
}
