import type { Db } from './open';

export interface WorkerRecord {
  id: string;
  name: string;
  codebases: string[];
  agents: string[];
  concurrency: number;
  registeredAt: number;
  lastSeenAt: number;
}

interface WorkerRow {
  id: string;
  name: string;
  codebases: string;
  agents: string;
  concurrency: number;
  registered_at: number;
  last_seen_at: number;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}

function fromRow(r: WorkerRow): WorkerRecord {
  return {
    id: r.id, name: r.name, codebases: JSON.parse(r.codebases) as string[], agents: JSON.parse(r.agents) as string[],
    concurrency: r.concurrency, registeredAt: r.registered_at, lastSeenAt: r.last_seen_at,
  };
}

/** SQL for registered remote workers and the audit log. */
export function createWorkerRepository(db: Db) {
  const s = {
    upsert: db.prepare(
      `INSERT INTO workers (id, name, codebases, agents, concurrency, registered_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, codebases = excluded.codebases, agents = excluded.agents,
         concurrency = excluded.concurrency, registered_at = excluded.registered_at, last_seen_at = excluded.last_seen_at`,
    ),
    seen: db.prepare('UPDATE workers SET last_seen_at = ? WHERE id = ?'),
    list: db.prepare<[], WorkerRow>('SELECT * FROM workers ORDER BY registered_at'),
    audit: db.prepare('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)'),
    auditOf: db.prepare<[string], Omit<AuditEntry, 'detail'> & { detail: string }>('SELECT * FROM audit_log WHERE subject = ? ORDER BY seq'),
  };
  return {
    register: (w: WorkerRecord) =>
      void s.upsert.run(w.id, w.name, JSON.stringify(w.codebases), JSON.stringify(w.agents), w.concurrency, w.registeredAt, w.lastSeenAt),
    seen: (id: string, at: number) => void s.seen.run(at, id),
    list: (): WorkerRecord[] => s.list.all().map(fromRow),
    audit: (e: Omit<AuditEntry, 'seq'>) => void s.audit.run(e.at, e.actor, e.action, e.subject, JSON.stringify(e.detail)),
    /** Audit entries about one subject (a task id, say), oldest first. */
    auditOf: (subject: string): AuditEntry[] => s.auditOf.all(subject).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> })),
  };
}

export type WorkerRepository = ReturnType<typeof createWorkerRepository>;
