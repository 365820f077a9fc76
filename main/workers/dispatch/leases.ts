import { randomUUID } from 'node:crypto';
import type { Message } from '@a2a-js/sdk';
import type { WorkerRecord } from '../../store/worker-repository';
import { endsRun, type TaskUpdate } from '../../tasks/executor';
import type { TaskRunner } from '../../tasks/runner';
import { TaskError } from '../../tasks/task-error';
import type { Assignment } from '../wire/protocol';

/** A remote worker's registration, alive while it claims, heartbeats and reports under it. */
export interface Session {
  id: string;
  worker: WorkerRecord;
  codebases: ReadonlySet<string>;
  agents: ReadonlySet<string>;
  leases: Map<string, Lease>;
  waiter?: (assignment: Assignment | undefined) => void;
  lastSeen: number;
  /** The worker closed the connection of its waiting claim (it died, or lost the network) and has not called since. */
  dropped: boolean;
}

/** One remote run of a task: held by a session until it completes or its lease runs out. */
export interface Lease {
  id: string;
  taskId: string;
  agent: string;
  message: Message;
  session: Session;
  attempt: number;
  expiresAt: number;
  /** Seq of the last batch of updates committed for this run. */
  applied: number;
  /** The batch being committed, so a retry that arrives meanwhile waits for it instead of applying it again. */
  inflight?: { seq: number; done: Promise<void> };
  canceled: boolean;
  /** The run reported a state that ends it (terminal, or waiting on the client). */
  reachedEnd: boolean;
  /** The worker has named the lease in a heartbeat or report: it got the assignment. */
  acked: boolean;
}

/** What a remote call found; the routes turn each refusal into its HTTP answer. */
export type RemoteRefusal = 'session_unknown' | 'lease_lost' | 'run_ended' | 'out_of_order';
export type RemoteResult<T> = { ok: true; value: T } | { ok: false; refusal: RemoteRefusal; message: string };

export const unknownSession = (): RemoteResult<never> => ({
  ok: false, refusal: 'session_unknown', message: 'This worker session is not known here (the host restarted or dropped it); register again.',
});

const runEnded = (lease: Lease, why: string): RemoteResult<never> => ({ ok: false, refusal: 'run_ended', message: `Task ${lease.taskId} takes no more updates from this run: ${why}` });

export interface LeaseBookOptions {
  runner: Pick<TaskRunner, 'report' | 'fail' | 'durable'>;
  leaseMs: number;
  /**
   * How long a new lease lasts until the worker names it in a heartbeat or report. An assignment
   * written to a claim whose worker died in that instant is otherwise lost for a whole lease.
   */
  ackMs: number;
  now: () => number;
}

/**
 * The remote runs in flight: each lease's heartbeats, its batches of updates (committed once per
 * seq, in order, durable before they are acknowledged) and its end. Placement lives in the
 * dispatcher; this is what happens to a task once a worker holds it.
 */
export function createLeaseBook({ runner, leaseMs, ackMs, now }: LeaseBookOptions) {
  const byTask = new Map<string, Lease>();

  function open(session: Session, run: { taskId: string; agent: string; message: Message; attempt: number }): Lease {
    const lease: Lease = {
      id: randomUUID(), ...run, session, expiresAt: now() + Math.min(ackMs, leaseMs), applied: 0, canceled: false, reachedEnd: false, acked: false,
    };
    session.leases.set(lease.id, lease);
    byTask.set(lease.taskId, lease);
    return lease;
  }

  function release(lease: Lease): void {
    lease.session.leases.delete(lease.id);
    if (byTask.get(lease.taskId) === lease) byTask.delete(lease.taskId);
  }

  function find(session: Session | undefined, leaseId: string): RemoteResult<Lease> {
    if (!session) return unknownSession();
    const lease = session.leases.get(leaseId);
    if (!lease) return { ok: false, refusal: 'lease_lost', message: `Lease ${leaseId} is not held any more (it expired and the task was requeued, or the run ended).` };
    return { ok: true, value: lease };
  }

  /** Extends the session's leases named in a heartbeat; says which it no longer holds and which were canceled. */
  function heartbeat(session: Session, leaseIds: string[], at: number): { lost: string[]; canceled: string[] } {
    const lost: string[] = [];
    const canceled: string[] = [];
    for (const id of leaseIds) {
      const lease = session.leases.get(id);
      if (!lease) lost.push(id);
      else {
        lease.acked = true;
        lease.expiresAt = at + leaseMs;
        if (lease.canceled) canceled.push(id);
      }
    }
    return { lost, canceled };
  }

  /** Commits one batch of a remote run's updates, once per seq; resolves when durable. */
  async function report(lease: Lease, seq: number, updates: TaskUpdate[]): Promise<RemoteResult<number>> {
    lease.acked = true;
    lease.expiresAt = Math.max(lease.expiresAt, now() + leaseMs);
    if (seq <= lease.applied) return { ok: true, value: lease.applied };
    if (lease.inflight?.seq === seq) {
      await lease.inflight.done;
      return { ok: true, value: seq };
    }
    if (seq !== lease.applied + 1 || lease.inflight) {
      return { ok: false, refusal: 'out_of_order', message: `Batch ${seq} arrived, but the next batch of this run is ${lease.applied + 1}.` };
    }
    if (lease.canceled) return runEnded(lease, 'it was canceled.');
    try {
      runner.report(lease.taskId, updates);
    } catch (err) {
      if (err instanceof TaskError) return runEnded(lease, err.message);
      throw err;
    }
    if (updates.some(endsRun)) lease.reachedEnd = true;
    const done = runner.durable();
    lease.inflight = { seq, done };
    try {
      await done;
      lease.applied = seq;
    } finally {
      lease.inflight = undefined;
    }
    return { ok: true, value: seq };
  }

  /** The run ended on the worker; a run that reported no result fails its task, as a local one would. */
  async function complete(lease: Lease, error: string | undefined): Promise<void> {
    if (lease.inflight) await lease.inflight.done;
    release(lease);
    if (!lease.canceled && !lease.reachedEnd) {
      runner.fail(lease.taskId, error ? `Agent "${lease.agent}" failed: ${error}` : `Agent "${lease.agent}" finished without reporting a result.`);
    }
  }

  return {
    open,
    release,
    find,
    heartbeat,
    report,
    complete,
    /** Marks the task's remote run canceled: its next heartbeat tells the worker to stop. */
    cancel(taskId: string): void {
      const lease = byTask.get(taskId);
      if (lease) lease.canceled = true;
    },
    /** Leases that ran out by `at`, released; the caller requeues or fails their tasks. */
    takeExpired(at: number): Lease[] {
      const expired = [...byTask.values()].filter((l) => l.expiresAt <= at);
      for (const lease of expired) release(lease);
      return expired;
    },
  };
}
