import type { FeedEvent, Overview } from '../../shared/monitor-api';
import type { HttpServer } from '../http/server';
import { openSse } from '../http/sse';
import type { Router } from '../http/router';
import type { TaskService } from '../tasks/service';
import type { TaskReads } from './task-reads';

export interface FeedDeps {
  tasks: TaskService;
  reads: TaskReads;
  overview: (limit: number) => Overview;
  onClose: HttpServer['onClose'];
}

/** How many tasks a snapshot carries; the monitor's list holds this many without paging. */
export const FEED_TASKS = 2000;

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
    sse.onClose(() => {
      unsubscribe();
      unhook();
    });
    send({ type: 'snapshot', overview: deps.overview(FEED_TASKS) });
  });
}
