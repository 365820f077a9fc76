import type { Logger } from '../base/log';
import type { AuditLog } from '../store/audit-repository';
import { sourceOf } from './actor';
import type { Refusal } from './guard';

/** Addresses remembered at once; past it, refusals from new ones are dropped uncounted until the window turns. */
const keyLimit = 10_000;

export interface RefusalAuditOptions {
  /** One entry per source address and kind of refusal in this window; the rest are counted into the next. */
  windowMs?: number;
  /** Entries of refusals in all per window, whatever the sources: a scan from many addresses cannot fill the disk either. */
  maxPerWindow?: number;
  now?: () => number;
}

/**
 * Records refused requests (401, 403) in the audit log, rate-limited: the first refusal of a
 * kind from an address is written at once; more of the same within `windowMs` are only
 * counted, and the next entry of that kind says how many were left out (`suppressed`). The log
 * gets the reason of every one.
 */
export function createRefusalAudit(audit: Pick<AuditLog, 'append'>, log: Logger, options: RefusalAuditOptions = {}): (refusal: Refusal) => void {
  const windowMs = options.windowMs ?? 60_000;
  const maxPerWindow = options.maxPerWindow ?? 100;
  const now = options.now ?? Date.now;
  const last = new Map<string, { at: number; suppressed: number }>();
  let windowStart = 0;
  let written = 0;

  return (refusal) => {
    const at = now();
    if (at - windowStart >= windowMs) {
      windowStart = at;
      written = 0;
      // Keys whose window is over carry nothing forward but their count, which the next entry reports.
      for (const [key, seen] of last) if (at - seen.at >= windowMs && seen.suppressed === 0) last.delete(key);
    }
    const source = sourceOf(refusal.req);
    const key = `${source} ${refusal.status} ${refusal.code}`;
    const seen = last.get(key);
    if ((seen && at - seen.at < windowMs) || written >= maxPerWindow) {
      if (seen) seen.suppressed++;
      else if (last.size < keyLimit) last.set(key, { at: 0, suppressed: 1 });
      // Every refusal is in the log, as every request is in the request log; only the audit log is thinned.
      log.info('request refused', { path: refusal.path, status: refusal.status, code: refusal.code, reason: refusal.reason, source });
      return;
    }
    written++;
    const suppressed = seen?.suppressed ?? 0;
    last.set(key, { at, suppressed: 0 });
    log.warn('request refused', { path: refusal.path, status: refusal.status, code: refusal.code, reason: refusal.reason, source });
    try {
      audit.append({
        at, actor: 'anonymous', action: 'request.refused', subject: `${refusal.req.method ?? 'GET'} ${refusal.path}`, source, outcome: 'refused',
        detail: { status: refusal.status, code: refusal.code, reason: refusal.reason, ...(suppressed ? { suppressed } : {}) },
      });
    } catch (err) {
      log.error('could not write the audit log', { action: 'request.refused', error: (err as Error).message });
    }
  };
}
