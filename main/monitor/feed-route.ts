import type { Overview, WorkerInfo } from '../../shared/monitor-api';
import type { HttpServer } from '../http/server';
import { openSse } from '../http/sse';
import type { Router } from '../http/router';
import type { TaskService } from '../tasks/service';
import { createFeedHub } from './feed-hub';
import type { TaskReads } from './task-reads';

export interface FeedDeps {
  tasks: TaskService;
  reads: TaskReads;
  overview: (limit: number) => Overview;
  workers: () => WorkerInfo[];
  /** How often the workers list is sent again while remote workers are online; tests shorten it. */
  workersMs?: number;
  /** How long task changes gather before they go out to the open streams. */
  coalesceMs?: number;
  onClose: HttpServer['onClose'];
}

/** How many tasks a snapshot carries; the monitor's list holds this many without paging. */
export const FEED_TASKS = 2000;

const WORKERS_MS = 5000;
const COALESCE_MS = 50;

/**
 * `GET /api/events`: the monitor's live feed (see FeedEvent). Joining the hub and the snapshot
 * happen in one synchronous step, so no state change falls between them; a delta repeats the
 * whole summary, so one that the snapshot already reflects is harmless. Deltas go out from the
 * shared hub (feed-hub.ts), off the send path.
 */
export function addFeedRoute(router: Router, deps: FeedDeps): void {
  const hub = createFeedHub({
    tasks: deps.tasks,
    reads: deps.reads,
    workers: deps.workers,
    workersMs: deps.workersMs ?? WORKERS_MS,
    coalesceMs: deps.coalesceMs ?? COALESCE_MS,
  });
  router.add('GET', '/api/events', (_req, res) => {
    const sse = openSse(res);
    const unhook = deps.onClose(() => sse.close());
    sse.onClose(unhook);
    const snapshot = deps.overview(FEED_TASKS);
    hub.join(sse, snapshot.workers);
    sse.send(JSON.stringify({ type: 'snapshot', overview: snapshot }), undefined, 'snapshot');
  });
}
