import type { FeedEvent, Overview, WorkerInfo } from '../../shared/monitor-api';
import type { HttpServer } from '../http/server';
import { openSse } from '../http/sse';
import type { Router } from '../http/router';
import type { TaskService } from '../tasks/service';
import type { TaskReads } from './task-reads';

export interface FeedDeps {
  tasks: TaskService;
  reads: TaskReads;
  overview: (limit: number) => Overview;
  workers: () => WorkerInfo[];
  /** How often the workers list is sent again while remote workers are online; tests shorten it. */
  workersMs?: number;
  onClose: HttpServer['onClose'];
}

/** How many tasks a snapshot carries; the monitor's list holds this many without paging. */
export const FEED_TASKS = 2000;

const WORKERS_MS = 5000;

/** What makes a workers list worth sending: who is online, where, and how loaded; heartbeats alone are not. */
const workersKey = (list: WorkerInfo[]) => JSON.stringify(list.map((w) => [w.name, w.local, w.codebases, w.load]));

/**
 * `GET /api/events`: the monitor's live feed (see FeedEvent). Subscribing and the snapshot
 * happen in one synchronous step, so no state change falls between them; a delta repeats the
 * whole summary, so one that the snapshot already reflects is harmless. Output chunks
 * (artifact updates) stay out: a flooding agent would otherwise flood every open monitor.
 */
export function addFeedRoute(router: Router, deps: FeedDeps): void {
  router.add('GET', '/api/events', (_req, res) => {
    const sse = openSse(res);
    const send = (event: FeedEvent) => sse.send(JSON.stringify(event), undefined, event.type);
    const unsubscribe = deps.tasks.subscribeAll((e) => {
      if (e.kind === 'artifactUpdate') return;
      const task = deps.reads.summary(e.taskId);
      if (task) send({ type: 'task', task, ...deps.reads.counts() });
    });
    const unhook = deps.onClose(() => sse.close());
    const snapshot = deps.overview(FEED_TASKS);
    let sentKey = workersKey(snapshot.workers);
    // Workers come and go without task events; their heartbeat age is only current while refreshed.
    const timer = setInterval(() => {
      const workers = deps.workers();
      const key = workersKey(workers);
      if (key === sentKey && workers.every((w) => w.local)) return;
      sentKey = key;
      send({ type: 'workers', workers });
    }, deps.workersMs ?? WORKERS_MS);
    timer.unref();
    sse.onClose(() => {
      clearInterval(timer);
      unsubscribe();
      unhook();
    });
    send({ type: 'snapshot', overview: snapshot });
  });
}
