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

function fromRow(r: WorkerRow): WorkerRecord {
  return {
    id: r.id, name: r.name, codebases: JSON.parse(r.codebases) as string[], agents: JSON.parse(r.agents) as string[],
    concurrency: r.concurrency, registeredAt: r.registered_at, lastSeenAt: r.last_seen_at,
  };
}

/** Registered remote workers. */
export interface WorkerRepository {
  register(worker: WorkerRecord): void;
  seen(id: string, at: number): void;
  list(): WorkerRecord[];
}

export function createWorkerRepository(db: Db): WorkerRepository {
  const s = {
    upsert: db.prepare(
      `INSERT INTO workers (id, name, codebases, agents, concurrency, registered_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, codebases = excluded.codebases, agents = excluded.agents,
         concurrency = excluded.concurrency, registered_at = excluded.registered_at, last_seen_at = excluded.last_seen_at`,
    ),
    seen: db.prepare('UPDATE workers SET last_seen_at = ? WHERE id = ?'),
    list: db.prepare<[], WorkerRow>('SELECT * FROM workers ORDER BY registered_at'),
  };
  return {
    register: (w) =>
      void s.upsert.run(w.id, w.name, JSON.stringify(w.codebases), JSON.stringify(w.agents), w.concurrency, w.registeredAt, w.lastSeenAt),
    seen: (id, at) => void s.seen.run(at, id),
    list: () => s.list.all().map(fromRow),
  };
}
