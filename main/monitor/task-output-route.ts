import { terminalStateNames } from '../../shared/monitor-api';
import type { HttpServer } from '../http/server';
import { openSse } from '../http/sse';
import { sendError } from '../http/respond';
import type { Router } from '../http/router';
import type { TaskService } from '../tasks/service';
import type { OutputLog } from '../workers/raw-output/output-log';
import { resumePoint } from '../http/request';
import type { TaskReads } from './task-reads';

/** One event carries at most this much; a replay of a large log goes out in many. */
const CHUNK_BYTES = 64 * 1024;
/** Unsent bytes above which the replay waits for the socket to drain, well under the SSE overflow limit. */
const HIGH_WATER = 512 * 1024;

/**
 * `GET /api/tasks/{id}/output[?from=N]`: the task's raw terminal output from byte N (or
 * Last-Event-ID), then live. Each event's data is a JSON string (pty output is full of CR,
 * which SSE would take as line ends) and its id the byte offset after it. A `gap` event says
 * that output before its `start` was dropped by the cap; `end` that the task is final and
 * everything was sent, and the stream closes. A task that never ran in a local pty (echo, a
 * remote worker) sends nothing but `end` once final: the monitor shows its output artifact.
 */
export function addTaskOutputRoute(router: Router, deps: { tasks: TaskService; reads: TaskReads; output: OutputLog; onClose: HttpServer['onClose'] }): void {
  router.add('GET', '/api/tasks/{id}/output', (req, res, { id }, url) => {
    const taskId = id!;
    let sent = resumePoint(req, url, 'from', 'byte offset');
    if (!deps.reads.summary(taskId)) return sendError(res, 404, 'not_found', `Task ${taskId} does not exist.`);

    const sse = openSse(res);
    let pumping = false;
    let again = false;
    const isFinal = () => terminalStateNames.has(deps.reads.summary(taskId)?.state ?? '');

    // Sends everything from `sent` on; one pump at a time, and a wake-up during it runs it again.
    const pump = async () => {
      if (pumping) return void (again = true);
      pumping = true;
      do {
        again = false;
        for (let chunk = deps.output.read(taskId, sent, CHUNK_BYTES); chunk && !sse.closed; chunk = deps.output.read(taskId, sent, CHUNK_BYTES)) {
          if (chunk.start > sent) sse.send(JSON.stringify({ start: chunk.start }), chunk.start, 'gap');
          sent = chunk.end;
          sse.send(JSON.stringify(chunk.text), chunk.end);
          if (res.writableLength > HIGH_WATER) await new Promise((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });
        }
      } while (again && !sse.closed);
      pumping = false;
      // The run flushes its output before the task turns final, so a final task has nothing more.
      if (!sse.closed && isFinal()) {
        sse.send('{}', sent, 'end');
        sse.close();
      }
    };
    const wake = () => void pump();
    const unsubscribe = deps.output.subscribe(taskId, wake);
    const unwatch = deps.tasks.subscribe(taskId, (e) => {
      if (e.kind === 'statusUpdate' || e.kind === 'task') wake();
    });
    const unhook = deps.onClose(() => sse.close());
    sse.onClose(() => {
      unsubscribe();
      unwatch();
      unhook();
    });
    wake();
  });
}
