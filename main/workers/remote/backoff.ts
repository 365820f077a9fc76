import { setTimeout as sleep } from 'node:timers/promises';

/** Waits before retry number `attempt` (0-based): doubling from 100 ms up to 5 s, with jitter so workers do not retry in step. */
export function backoff(attempt: number, signal?: AbortSignal): Promise<void> {
  const base = Math.min(5000, 100 * 2 ** Math.min(attempt, 6));
  return sleep(base / 2 + Math.random() * (base / 2), undefined, { signal }).catch(() => {});
}
