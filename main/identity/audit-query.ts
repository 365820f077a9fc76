import type { AuditEntryView } from '../../shared/identity-api';
import { parseDuration } from '../auth/duration';
import { auditOutcomes, type AuditEntry, type AuditFilter, type AuditOutcome } from '../store/audit-repository';

export type FilterResult = { ok: true; filter: AuditFilter } | { ok: false; error: string };

/** `--since` / `?since=`: a duration back from now (`90m`, `24h`, `7d`) or a date-time (`2026-01-31`, ISO 8601). */
export function parseTime(text: string, now = Date.now()): number | undefined {
  const back = parseDuration(text);
  if (back !== undefined) return now - back;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

export interface FilterInput {
  since?: string | null;
  until?: string | null;
  actor?: string | null;
  action?: string | null;
  outcome?: string | null;
  subject?: string | null;
  before?: string | null;
  limit?: string | null;
}

/** The same filter words for the CLI and the API, each refused with the reason when it does not parse. */
export function parseFilter(input: FilterInput, maxLimit: number, now = Date.now()): FilterResult {
  const filter: AuditFilter = {};
  for (const key of ['since', 'until'] as const) {
    const text = input[key];
    if (!text) continue;
    const at = parseTime(text, now);
    if (at === undefined) return { ok: false, error: `${key} takes a duration back from now (90m, 24h, 7d) or a date (2026-01-31, or ISO 8601 with a time); got "${text}"` };
    filter[key] = at;
  }
  if (input.actor) filter.actor = input.actor;
  if (input.action) filter.action = input.action;
  if (input.subject) filter.subject = input.subject;
  if (input.outcome) {
    if (!(auditOutcomes as readonly string[]).includes(input.outcome)) return { ok: false, error: `outcome is one of ${auditOutcomes.join(', ')}; got "${input.outcome}"` };
    filter.outcome = input.outcome as AuditOutcome;
  }
  if (input.before) {
    if (!/^\d{1,15}$/.test(input.before)) return { ok: false, error: 'before takes the seq of an entry (a whole number)' };
    filter.beforeSeq = Number(input.before);
  }
  if (input.limit) {
    const n = Number(input.limit);
    if (!Number.isInteger(n) || n < 1 || n > maxLimit) return { ok: false, error: `limit is a whole number from 1 to ${maxLimit}` };
    filter.limit = n;
  }
  return { ok: true, filter };
}

export function entryView(e: AuditEntry): AuditEntryView {
  return { seq: e.seq, at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, subject: e.subject, source: e.source, outcome: e.outcome, detail: e.detail };
}
