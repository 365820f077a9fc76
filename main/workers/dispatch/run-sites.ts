import { TaskState, taskStateFromJSON } from '@a2a-js/sdk';
import type { Db } from '../../store/open';
import { interruptedStates } from '../../tasks/states';
import { localSite, type AffinityKey, type RunSite } from './affinity';

/** The note a remote claim puts in the status metadata (`{ worker: note }`) of the task's event log. */
export function claimNote(worker: { id: string; name: string }): string {
  return `${worker.name} (${worker.id})`;
}

/** The worker a claim note names; undefined for anything else. */
export function parseClaimNote(note: unknown): RunSite | undefined {
  if (typeof note !== 'string') return undefined;
  const m = /^(.*) \(([^()]+)\)$/s.exec(note);
  return m ? { local: false, name: m[1]!, workerId: m[2]! } : undefined;
}

/** A status event of a task: its state (ProtoJSON name) and the worker its metadata names, if any. */
export interface RunStatus {
  state: string;
  worker?: unknown;
}

/**
 * States a run reports; a task that reached one of these since the last claim ran in this
 * process. Failed, canceled and rejected say nothing: the host sets them without a run too.
 */
const runStates: ReadonlySet<TaskState> = new Set([TaskState.TASK_STATE_WORKING, TaskState.TASK_STATE_COMPLETED, ...interruptedStates]);

/**
 * Where the latest run of a task ran, from its status events oldest first. A run starts at the
 * task's creation, at a requeue (back to submitted) or at a continuation (input-required to
 * working). A remote run begins with its claim, which names the worker; a local run has no claim,
 * only the statuses its agent reports. A run with no status yet (queued again) says nothing, so
 * the run before it counts. Undefined when no run is known (never ran, or only canceled or failed
 * before running).
 */
export function siteOfRuns(statuses: readonly RunStatus[]): RunSite | undefined {
  let site: RunSite | undefined;
  let claim: RunSite | undefined;
  let ran = false;
  let previous: TaskState = TaskState.TASK_STATE_SUBMITTED;
  const endRun = () => {
    site = claim ?? (ran ? localSite : site);
    claim = undefined;
    ran = false;
  };
  for (const s of statuses) {
    const state = taskStateFromJSON(s.state);
    const claimed = parseClaimNote(s.worker);
    const starts = state === TaskState.TASK_STATE_SUBMITTED || (state === TaskState.TASK_STATE_WORKING && interruptedStates.has(previous));
    if (starts) endRun();
    if (claimed) claim = claimed;
    else if (!starts && runStates.has(state)) ran = true;
    previous = state;
  }
  endRun();
  return site;
}

/** Tasks of a context looked at, newest first, before giving up: their runs are read one task at a time. */
const TASKS_LOOKED_AT = 20;

/**
 * Where the previous task of a context, with this agent and codebase, ran, read from the task
 * store: the claims in its event log name the remote worker, and a task that ran with no claim ran
 * in this process. Used for contexts the dispatcher has not placed since it started (after a host
 * restart, say). Tasks synced from another device ran there and are left out.
 */
export function createRunSiteLookup(db: Db): (key: AffinityKey) => RunSite | undefined {
  // The codebase as placementOf reads it: request metadata, else the first user message's.
  const tasks = db.prepare<[string, string, string, number], { id: string }>(
    `SELECT t.id FROM tasks t
      WHERE t.context_id = ? AND t.agent = ? AND t.origin IS NULL
        AND coalesce(json_extract(t.metadata_json, '$.codebase'),
              (SELECT json_extract(m.body_json, '$.metadata.codebase') FROM messages m WHERE m.task_id = t.id AND m.role = 'user' ORDER BY m.seq LIMIT 1)) = ?
      ORDER BY t.created_at DESC, t.rowid DESC LIMIT ?`,
  );
  const statuses = db.prepare<[string], { body_json: string }>("SELECT body_json FROM task_events WHERE task_id = ? AND kind = 'statusUpdate' ORDER BY seq");

  return (key) => {
    for (const { id } of tasks.all(key.contextId, key.agent, key.codebase, TASKS_LOOKED_AT)) {
      const site = siteOfRuns(
        statuses.all(id).map((r) => {
          const u = (JSON.parse(r.body_json) as { statusUpdate?: { status?: { state?: string }; metadata?: { worker?: unknown } } }).statusUpdate;
          return { state: u?.status?.state ?? '', worker: u?.metadata?.worker };
        }),
      );
      if (site) return site;
    }
    return undefined;
  };
}
