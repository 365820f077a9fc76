import type { HttpServer } from '../http/server';
import { openSse } from '../http/sse';
import { sendError } from '../http/respond';
import type { Router } from '../http/router';
import type { TaskService } from '../tasks/service';
import type { TaskEvent } from '../tasks/task-event';
import { resumePoint } from '../http/request';
import type { TaskReads } from './task-reads';

/**
 * `GET /api/tasks/{id}/events[?after=N]`: a task's whole event log from seq N+1, then its new
 * events live; `id:` is the seq, so a browser's EventSource resumes exactly where it left off.
 * The A2A subscribe starts with a Task snapshot instead, and a page's EventSource cannot send
 * Last-Event-ID on its first request, so the monitor's timeline needs this replay from 0. The
 * stream stays open after the task ends: the client closes it once it sees a final state.
 */
const REPLAY_PAGE = 64;

export function addTaskLogRoute(router: Router, deps: { tasks: TaskService; reads: TaskReads; onClose: HttpServer['onClose'] }): void {
  router.add('GET', '/api/tasks/{id}/events', (req, res, { id }, url) => {
    const taskId = id!;
    let last = resumePoint(req, url, 'after', 'seq');
    if (!deps.reads.summary(taskId)) return sendError(res, 404, 'not_found', `Task ${taskId} does not exist.`);

    const sse = openSse(res);
    const send = (e: TaskEvent) => {
      if (e.seq <= last) return;
      last = e.seq;
      // The stored JSON goes out as stored, without a parse and re-encode.
      sse.send(`{"seq":${e.seq},"response":${e.json}}`, e.seq);
    };
    let unsubscribe = () => {};
    const unhook = deps.onClose(() => sse.close());
    sse.onClose(() => {
      unsubscribe();
      unhook();
    });
    void (async () => {
      // The backlog goes out a page at a time, each once the socket has taken the last: a
      // client far behind (a big task) catches up instead of overflowing and being dropped.
      for (;;) {
        const page = deps.tasks.eventsAfter(taskId, last, REPLAY_PAGE);
        if (sse.closed) return;
        if (page.length < REPLAY_PAGE) {
          // The last page and the subscription in one synchronous step: no event falls between them.
          unsubscribe = deps.tasks.subscribe(taskId, send, (err) => {
            // A change was lost with a failed commit: say so and end; the page reconnects from its last id.
            sse.send(JSON.stringify({ error: { code: 'store_failed', message: err.message } }), undefined, 'fault');
            sse.close();
          });
          for (const e of page) send(e);
          return;
        }
        for (const e of page) send(e);
        await sse.drained();
      }
    })();
  });
}
