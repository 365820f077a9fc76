import type { Task } from '@a2a-js/sdk';
import type { Logger } from '../../base/log';
import type { AuditLog } from '../../store/audit-repository';
import type { TaskRunner } from '../../tasks/runner';
import type { Lease } from './leases';

export interface ReapDeps {
  runner: TaskRunner;
  audit: AuditLog;
  log: Logger;
  maxAttempts: number;
  now: number;
}

/**
 * The lease of a silent worker ran out (or one it never confirmed getting): its task gets another attempt, or fails once it has had
 * `maxAttempts`. Either way the reason goes into the task's event log and the audit log.
 * Returns the requeued task, to be offered again; undefined when it failed or could not move.
 */
export function reapLease(lease: Lease, deps: ReapDeps): Task | undefined {
  const { worker } = lease.session;
  const who = lease.acked
    ? `worker ${worker.name} (${worker.id}) stopped heartbeating`
    : `worker ${worker.name} (${worker.id}) never confirmed it got the task`;
  const giveUp = lease.attempt >= deps.maxAttempts;
  const reason = giveUp
    ? `${who}; failed after ${lease.attempt} of ${deps.maxAttempts} attempts`
    : `${who}; requeued (attempt ${lease.attempt + 1} of ${deps.maxAttempts})`;
  let task: Task | undefined;
  try {
    if (giveUp) deps.runner.fail(lease.taskId, reason);
    else task = deps.runner.requeue(lease.taskId, reason);
  } catch (err) {
    // The task moved on meanwhile (it was waiting for input, or ended): nothing to requeue.
    deps.log.info('lease expired on a task that cannot be requeued', { taskId: lease.taskId, error: (err as Error).message });
    return undefined;
  }
  deps.log.warn(reason, { taskId: lease.taskId, lease: lease.id });
  deps.audit.append({
    at: deps.now, actor: 'reaper', action: giveUp ? 'task.failed' : 'task.requeued', subject: lease.taskId, outcome: giveUp ? 'failed' : 'ok',
    detail: { worker: worker.id, workerName: worker.name, lease: lease.id, attempt: lease.attempt, maxAttempts: deps.maxAttempts, reason },
  });
  return task;
}
