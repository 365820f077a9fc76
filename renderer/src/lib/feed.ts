import type { FeedEvent } from '../../../shared/monitor-api';

export interface FeedHandlers {
  event(event: FeedEvent): void;
  /** The connection dropped; the feed is reconnecting by itself. */
  down(): void;
}

const MAX_RETRY_MS = 15_000;

/**
 * Keeps `/api/events` open. EventSource reconnects by itself after a network error; when it
 * gives up instead (an HTTP error answer), this opens a new one after a growing delay. A
 * reconnect starts with a fresh snapshot, so nothing is missed while away.
 */
export function connectFeed(url: string, on: FeedHandlers): () => void {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = 1000;
  let stopped = false;

  const open = () => {
    const es = new EventSource(url);
    source = es;
    const handle = (m: MessageEvent<string>) => on.event(JSON.parse(m.data) as FeedEvent);
    es.addEventListener('snapshot', (m) => {
      delay = 1000;
      handle(m);
    });
    es.addEventListener('task', handle);
    es.onerror = () => {
      if (stopped) return;
      on.down();
      if (es.readyState === EventSource.CLOSED) {
        timer = setTimeout(open, delay);
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    };
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}
