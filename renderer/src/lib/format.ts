import type { TaskSummary } from '../../../shared/monitor-api';
import { isFinal } from './states';

/** "850ms", "12s", "3m 04s", "2h 05m". */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** How long a task ran: until its last update once it is final, until `now` while it is not. */
export function taskDuration(task: Pick<TaskSummary, 'state' | 'createdAt' | 'updatedAt'>, now: number): number {
  return (isFinal(task.state) ? task.updatedAt : now) - task.createdAt;
}

/** "just now", "5s ago", "3m ago", then the local time of day or date. */
export function formatAge(at: number, now: number): string {
  const s = Math.round((now - at) / 1000);
  if (s < 2) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  const d = new Date(at);
  return now - at < 86_400_000 ? d.toLocaleTimeString() : d.toLocaleDateString();
}

/**
 * The part of an id that tells it apart at a glance: its last 8 characters. A UUIDv7 begins with
 * its timestamp, so ids made the same hour share their first characters; the end is random.
 */
export function shortId(id: string): string {
  const plain = id.replace(/-/g, '');
  return plain.length <= 8 ? plain : plain.slice(-8);
}
