import type { FeedEvent } from '../../../shared/monitor-api';
import type { Api } from './api';

export interface FeedHandlers {
  event(event: FeedEvent): void;
  /** The connection dropped; the feed is reconnecting by itself. */
  down(): void;
  /** The host wants a token (or refused this one): nothing more happens until a new one is given. */
  refused(status: number, message: string): void;
}

/**
 * Keeps `/api/events` open. A reconnect starts with a fresh snapshot, so nothing is missed
 * while away; the feed has no event ids to resume from.
 */
export function connectFeed(api: Api, on: FeedHandlers): () => void {
  return api.stream('/api/events', {
    event: (e) => {
      if (e.type === 'snapshot' || e.type === 'task' || e.type === 'workers') on.event(JSON.parse(e.data) as FeedEvent);
    },
    down: (problem) => (problem.status ? on.refused(problem.status, problem.message) : on.down()),
  });
}
