/**
 * A token bucket: `burst` messages at once, refilled at `perSecond`. Bursts matter because a
 * provider sends one message per local transaction, so a bulk edit arrives as a quick run.
 */
export function createRateLimiter(perSecond: number, burst: number, now: () => number = performance.now.bind(performance)) {
  let tokens = burst;
  let last = now();
  return {
    /** Takes one token; false when the bucket is empty. */
    take(): boolean {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * perSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
