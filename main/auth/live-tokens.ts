import type { TokenRecord } from './token-record';
import type { TokenStore } from './token-store';

/**
 * What outlives the request that authenticated it (an SSE stream, a long-poll, an MCP session)
 * and must end with its token: at once on a revocation through this host's token store, within
 * `checkMs` on one by another process (the `codetether token revoke` CLI) or on expiry.
 */
export interface LiveTokens {
  /** Runs `end` once `token` is revoked or expires; returns the release, for when the holder ends first. */
  hold(token: TokenRecord, end: () => void): () => void;
  stop(): void;
}

export interface LiveTokenOptions {
  /** How often expiry and other processes' revocations are checked while something is held. */
  checkMs?: number;
  now?: () => number;
}

interface Held {
  expiresAt: number | null;
  ends: Set<() => void>;
}

export function createLiveTokens(tokens: TokenStore, options: LiveTokenOptions = {}): LiveTokens {
  const checkMs = options.checkMs ?? 1000;
  const now = options.now ?? Date.now;
  const held = new Map<string, Held>();
  let timer: NodeJS.Timeout | undefined;
  let version = tokens.version();

  function endAll(id: string): void {
    const h = held.get(id);
    if (!h) return;
    held.delete(id);
    for (const end of h.ends) end();
    if (held.size === 0) stopTimer();
  }

  function check(): void {
    const at = now();
    const current = tokens.version();
    const changed = current !== version;
    version = current;
    for (const [id, h] of [...held]) {
      if (h.expiresAt !== null && h.expiresAt <= at) endAll(id);
      else if (changed) {
        const record = tokens.get(id);
        if (!record || record.revokedAt !== null) endAll(id);
      }
    }
  }

  function stopTimer(): void {
    clearInterval(timer);
    timer = undefined;
  }

  const unsubscribe = tokens.onRevoke(endAll);

  return {
    hold(token, end) {
      let h = held.get(token.id);
      if (!h) held.set(token.id, (h = { expiresAt: token.expiresAt, ends: new Set() }));
      const entry = h;
      // A wrapper per hold: two holds of one function stay two, and releasing one keeps the other.
      const once = () => end();
      entry.ends.add(once);
      if (!timer) {
        version = tokens.version();
        timer = setInterval(check, checkMs);
        timer.unref();
      }
      return () => {
        entry.ends.delete(once);
        if (entry.ends.size === 0 && held.get(token.id) === entry) {
          held.delete(token.id);
          if (held.size === 0) stopTimer();
        }
      };
    },
    stop() {
      unsubscribe();
      stopTimer();
      held.clear();
    },
  };
}
