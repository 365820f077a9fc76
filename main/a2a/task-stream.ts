import { TaskState, type StreamResponse } from '@a2a-js/sdk';
import { UnsupportedOperationError } from '@a2a-js/sdk/errors';
import type { ServerCallContext } from '@a2a-js/sdk/server';
import type { TaskService } from '../tasks/service';
import { isSettled, isTerminal, stateName } from '../tasks/states';
import { decodeEvent, type TaskEvent } from '../tasks/task-event';
import { pushSeq, signalOf } from './call-context';
import { toA2AError } from './errors';
import { createEventFeed, type EventFeed } from './event-feed';

/** Events read from the store per pass: a client resuming far behind must not load its whole backlog at once. */
const STORE_PAGE = 32;
/**
 * How long a new task's stream holds back its opening (the Task, and statuses that only say it
 * is working) while the agent has said nothing else: long enough for a command agent in a pty
 * (a process to start; 2.7 s measured on a loaded 2-core machine) to answer with a Message that
 * is then the whole stream; an agent that says anything else, or a queued task after this long,
 * shows at once.
 */
export const OPENING_HOLD_MS = 5000;

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

/** The Task, or a status that says no more than "working" (a run starting, a worker claiming it). */
function saysNothingYet(response: StreamResponse): boolean {
  const p = response.payload;
  if (p?.$case === 'task') return true;
  if (p?.$case !== 'statusUpdate') return false;
  const state = p.value.status?.state;
  return (state === TaskState.TASK_STATE_WORKING || state === TaskState.TASK_STATE_SUBMITTED) && !p.value.status?.message;
}

/**
 * `afterSeq`: yield the events with a seq above it (a stream's start, or Last-Event-ID); with
 * `opening`, the stream of a new task: its opening is held back (OPENING_HOLD_MS) so that an
 * agent's Message answer makes the whole stream, and `feed` is the subscription the send took
 * before its first event, which saw that answer even if it came before this stream started.
 * `snapshot`: SubscribeToTask: yield the Task first, then the events after it; a task that
 * is already terminal is refused, as the spec asks.
 */
export type FollowFrom = { afterSeq: number; opening?: { feed: EventFeed; unsubscribe: () => void } } | { snapshot: true };

/**
 * Yields a task's events from the store after `afterSeq`, then live ones, until the task is
 * terminal or interrupted, its agent answered with a Message, or the caller's signal aborts.
 * Each event's seq goes to the transport through pushSeq right before it is yielded.
 *
 * The bus subscription is taken before anything is read, so an event committed at any point
 * is either in what we read from the store or in the feed; duplicates are dropped by seq. The
 * feed is only a fast path: when it overflows (a slow consumer) the store is read again, so
 * memory stays bounded and no event is lost.
 */
export async function* followTask(tasks: TaskService, taskId: string, ctx: ServerCallContext, from: FollowFrom): AsyncGenerator<StreamResponse, void, undefined> {
  const signal = signalOf(ctx);
  const opening = 'opening' in from ? from.opening : undefined;
  const feed = opening?.feed ?? createEventFeed();
  // A change of the task lost with a failed commit ends the stream with the error instead of a
  // silent wait; the client resubscribes (Last-Event-ID) once the host writes again.
  const unsubscribe = opening?.unsubscribe ?? tasks.subscribe(taskId, feed.listener, feed.fault);
  const onAbort = () => feed.wake();
  signal?.addEventListener('abort', onAbort);
  let holdUntil = opening ? Date.now() + OPENING_HOLD_MS : 0;
  let holdTimer: NodeJS.Timeout | undefined;
  const held: { response: StreamResponse; seq: number }[] = [];
  try {
    let start;
    try {
      // A resume needs only where the task is: its artifacts may be many megabytes of output.
      start = tasks.snapshot(taskId, 'snapshot' in from ? {} : STATE_ONLY);
    } catch (err) {
      // The agent answered with a Message before this stream started: the task is gone already.
      const answer = feed.answer();
      if (answer) {
        pushSeq(ctx, answer.seq);
        yield decodeEvent(answer);
        return;
      }
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
    if (holdUntil) {
      holdTimer = setTimeout(() => feed.wake(), OPENING_HOLD_MS);
      holdTimer.unref();
    }
    // The first pass reads the backlog from the store; so does a pass after an overflow.
    let fromStore = true;
    for (;;) {
      if (signal?.aborted) return;
      const failure = feed.failure();
      if (failure) throw toA2AError(failure);
      if (holdUntil && Date.now() >= holdUntil) {
        holdUntil = 0;
        for (const h of held.splice(0)) {
          pushSeq(ctx, h.seq);
          yield h.response;
        }
        continue;
      }
      let batch: TaskEvent[];
      if (fromStore || feed.overflowed) {
        // Everything the feed holds so far is committed, so this read covers it.
        feed.reset();
        batch = tasks.eventsAfter(taskId, last, STORE_PAGE);
        fromStore = batch.length === STORE_PAGE;
        // Nothing after `last` and the task already at rest: a resume past the end (or a
        // subscribe to a task waiting on its client) has nothing more coming.
        if (batch.length === 0 && !feed.answer() && endsStream(tasks.snapshot(taskId, STATE_ONLY).task.status?.state)) return;
        // An answer removed the task and its stored events; only the feed has it.
        const answer = feed.answer();
        if (batch.length === 0 && answer) batch = [answer];
      } else {
        batch = feed.take();
        if (batch.length === 0) {
          // A store pass emptied the queue; the answer, kept apart, is still to be sent.
          const answer = feed.answer();
          if (answer && answer.seq > last) batch = [answer];
          else {
            await feed.next();
            continue;
          }
        }
      }
      for (const event of batch) {
        if (event.seq <= last) continue;
        last = event.seq;
        const response = decodeEvent(event);
        if (response.payload?.$case === 'message') {
          // A Message answer is the whole stream: what was held back belonged to a task that no longer exists.
          pushSeq(ctx, event.seq);
          yield response;
          return;
        }
        if (holdUntil) {
          if (saysNothingYet(response)) {
            held.push({ response, seq: event.seq });
            continue;
          }
          holdUntil = 0;
          for (const h of held.splice(0)) {
            pushSeq(ctx, h.seq);
            yield h.response;
          }
        }
        pushSeq(ctx, event.seq);
        yield response;
        if (signal?.aborted || endsStream(stateOf(response))) return;
      }
    }
  } finally {
    clearTimeout(holdTimer);
    signal?.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}
