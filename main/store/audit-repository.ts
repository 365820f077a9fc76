import type { Db } from './open';

/** How an audited action ended: done, refused by a check of ours, or failed on the way. */
export const auditOutcomes = ['ok', 'refused', 'failed'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

/** One entry of the audit log: who did what to which subject, from where, and how it ended. */
export interface AuditEntry {
  seq: number;
  /** Epoch ms. */
  at: number;
  /** `local` (the loopback user), `token:<id>`, `oidc:<subject>`, `oauth:<client>`, `email:<address>`, `cli`, or a part of the host (`reaper`). */
  actor: string;
  /** Dotted name: `token.created`, `oauth.grant`, `request.refused`, ... */
  action: string;
  subject: string;
  /** The client's address, or '' for an action without a request (the CLI, the host itself). */
  source: string;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
}

export interface NewAuditEntry {
  actor: string;
  action: string;
  subject?: string;
  source?: string;
  outcome?: AuditOutcome;
  detail?: Record<string, unknown>;
  at?: number;
}

export interface AuditFilter {
  /** Entries at or after this epoch ms. */
  since?: number;
  until?: number;
  /** Exact actor, or a prefix ending in ':' (`oidc:` for every OIDC user). */
  actor?: string;
  /** Exact action, or a prefix ending in '.' (`oauth.`). */
  action?: string;
  subject?: string;
  outcome?: AuditOutcome;
  /** Only entries older than this seq: the next page of a newest-first listing. */
  beforeSeq?: number;
  limit?: number;
}

/**
 * The audit log: append-only. There is no call that changes or removes an entry; the only rows
 * that ever leave are the oldest ones, when the log passes its size limit (`maxBytes`), and a
 * trigger refuses any UPDATE whoever sends it.
 */
export interface AuditLog {
  append(entry: NewAuditEntry): AuditEntry;
  /** Newest first. */
  query(filter?: AuditFilter): AuditEntry[];
  /** Bytes the entries take, as retention counts them. */
  size(): number;
}

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  source: string;
  outcome: string;
  detail: string;
}

/** Row overhead beyond its text, so retention counts short entries fairly. */
const rowOverhead = 32;

function fromRow(r: AuditRow): AuditEntry {
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, source: r.source, outcome: r.outcome as AuditOutcome, detail: JSON.parse(r.detail) as Record<string, unknown> };
}

function likePrefix(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
}

/** `maxBytes`: retention drops the oldest entries once the log passes it, down to 90% of it. */
export function createAuditLog(db: Db, options: { maxBytes: number }): AuditLog {
  const insert = db.prepare<[number, string, string, string, string, string, string, number], { seq: number }>(
    'INSERT INTO audit_log (at, actor, action, subject, source, outcome, detail, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq',
  );
  const total = db.prepare<[], number>('SELECT coalesce(sum(bytes), 0) FROM audit_log').pluck();
  // The newest seq whose running total reaches the bytes to drop; every entry up to it goes.
  const cutoff = db
    .prepare<[number], number>('SELECT seq FROM (SELECT seq, sum(bytes) OVER (ORDER BY seq) AS run FROM audit_log) WHERE run >= ? ORDER BY seq LIMIT 1')
    .pluck();
  const dropThrough = db.prepare('DELETE FROM audit_log WHERE seq <= ?');
  let bytes = total.get()!;

  const retain = db.transaction(() => {
    bytes = total.get()!;
    if (bytes <= options.maxBytes) return;
    const seq = cutoff.get(bytes - Math.floor(options.maxBytes * 0.9));
    if (seq !== undefined) dropThrough.run(seq);
    bytes = total.get()!;
  });

  return {
    append(e) {
      const at = e.at ?? Date.now();
      const subject = e.subject ?? '';
      const source = e.source ?? '';
      const outcome = e.outcome ?? 'ok';
      const detail = JSON.stringify(e.detail ?? {});
      const size = e.actor.length + e.action.length + subject.length + source.length + detail.length + rowOverhead;
      const { seq } = insert.get(at, e.actor, e.action, subject, source, outcome, detail, size)!;
      bytes += size;
      // Another process (the CLI) appends too, so the count is checked against the table before anything goes.
      if (bytes > options.maxBytes) retain();
      return { seq, at, actor: e.actor, action: e.action, subject, source, outcome, detail: e.detail ?? {} };
    },
    query(f = {}) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const add = (clause: string, value: string | number | undefined) => {
        if (value === undefined) return;
        where.push(clause);
        args.push(value);
      };
      add('at >= ?', f.since);
      add('at <= ?', f.until);
      add('seq < ?', f.beforeSeq);
      add('subject = ?', f.subject);
      add('outcome = ?', f.outcome);
      if (f.actor?.endsWith(':')) add("actor LIKE ? ESCAPE '\\'", likePrefix(f.actor));
      else add('actor = ?', f.actor);
      if (f.action?.endsWith('.')) add("action LIKE ? ESCAPE '\\'", likePrefix(f.action));
      else add('action = ?', f.action);
      const sql = `SELECT seq, at, actor, action, subject, source, outcome, detail FROM audit_log${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      return db.prepare<(string | number)[], AuditRow>(sql).all(...args, f.limit ?? 1000).map(fromRow);
    },
    size: () => total.get()!,
  };
}
