import type { FeedEvent, WorkerInfo } from '../../shared/monitor-api';
import { sseFrame, type SseStream } from '../http/sse';
import type { TaskService } from '../tasks/service';
import type { TaskReads } from './task-reads';

export interface FeedHubDeps {
  tasks: Pick<TaskService, 'subscribeAll'>;
  reads: Pick<TaskReads, 'summary' | 'counts'>;
  workers: () => WorkerInfo[];
  /** How often the workers list is sent again while remote workers are online. */
  workersMs: number;
  /** How long changes gather before they go out; the monitor is read by people, not by programs. */
  coalesceMs: number;
}

/** What makes a workers list worth sending: who is online, where, and how loaded; heartbeats alone are not. */
export const workersKey = (list: WorkerInfo[]) => JSON.stringify(list.map((w) => [w.name, w.local, w.codebases, w.load]));

const frame = (event: FeedEvent) => sseFrame(JSON.stringify(event), undefined, event.type);

/**
 * The monitor feed's fan-out, shared by every open `/api/events` stream. A committed event only
 * notes its task id (the bus calls listeners inside the commit's turn, on the send path); once
 * per `coalesceMs` the noted tasks are read once, their frames made once, and the same text is
 * written to every stream. So a thousand open monitors cost a send nothing, and a burst of
 * changes to one task costs one frame per stream, with the task as it is by then.
 */
export function createFeedHub(deps: FeedHubDeps) {
  const streams = new Set<SseStream>();
  const noted = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  let workersTimer: NodeJS.Timeout | undefined;
  let sentKey = '';

  function flush(): void {
    timer = undefined;
    if (noted.size === 0 || streams.size === 0) return noted.clear();
    let frames = '';
    const counts = deps.reads.counts();
    for (const id of noted) {
      const task = deps.reads.summary(id);
      if (task) frames += frame({ type: 'task', task, ...counts });
    }
    noted.clear();
    if (frames) for (const sse of streams) sse.write(frames);
  }

  function sendWorkers(): void {
    const workers = deps.workers();
    const key = workersKey(workers);
    // Workers come and go without task events; their heartbeat age is only current while refreshed.
    if (key === sentKey && workers.every((w) => w.local)) return;
    sentKey = key;
    const text = frame({ type: 'workers', workers });
    for (const sse of streams) sse.write(text);
  }

  function start(): void {
    unsubscribe = deps.tasks.subscribeAll((e) => {
      // Output chunks stay out: a flooding agent would otherwise flood every open monitor.
      if (e.kind === 'artifactUpdate') return;
      noted.add(e.taskId);
      timer ??= setTimeout(flush, deps.coalesceMs);
    });
    workersTimer = setInterval(sendWorkers, deps.workersMs);
    workersTimer.unref();
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = undefined;
    clearInterval(workersTimer);
    clearTimeout(timer);
    timer = undefined;
    noted.clear();
  }

  return {
    /**
     * Adds a stream in the same synchronous step as its snapshot (which listed `snapshotWorkers`):
     * from here on it gets every change. A change noted before it joined goes out to it too, which is harmless: a delta
     * repeats the task's whole summary.
     */
    join(sse: SseStream, snapshotWorkers: WorkerInfo[]): void {
      if (streams.size === 0) {
        start();
        sentKey = workersKey(snapshotWorkers);
      }
      streams.add(sse);
      sse.onClose(() => {
        streams.delete(sse);
        if (streams.size === 0) stop();
      });
    },
    get size() {
      return streams.size;
    },
  };
}

export type FeedHub = ReturnType<typeof createFeedHub>;
