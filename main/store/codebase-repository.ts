import type { Db } from './open';

export interface Codebase {
  name: string;
  /** Absolute, symlink-free path of the folder. */
  path: string;
  defaultAgent: string | null;
  /** Agents allowed to run here; empty means any agent. */
  allowedAgents: string[];
  createdAt: number;
}

/** The codebases table's row, as both engines read it. */
export interface CodebaseRow {
  name: string;
  path: string;
  default_agent: string | null;
  allowed_agents: string;
  created_at: number;
}

export function codebaseFromRow(r: CodebaseRow): Codebase {
  return { name: r.name, path: r.path, defaultAgent: r.default_agent, allowedAgents: JSON.parse(r.allowed_agents) as string[], createdAt: r.created_at };
}

/** Registered codebases. Read on every use, so a `codebase add` next to a running host counts at once. */
export interface CodebaseRepository {
  /** False when the name is taken. */
  insert(c: Codebase): boolean;
  get(name: string): Codebase | undefined;
  list(): Codebase[];
  /** False when no codebase had that name. */
  remove(name: string): boolean;
}

export function createCodebaseRepository(db: Db): CodebaseRepository {
  const s = {
    insert: db.prepare(
      'INSERT INTO codebases (name, path, default_agent, allowed_agents, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO NOTHING',
    ),
    get: db.prepare<[string], CodebaseRow>('SELECT * FROM codebases WHERE name = ?'),
    list: db.prepare<[], CodebaseRow>('SELECT * FROM codebases ORDER BY name'),
    remove: db.prepare('DELETE FROM codebases WHERE name = ?'),
  };
  return {
    insert: (c) =>
      s.insert.run(c.name, c.path, c.defaultAgent, JSON.stringify(c.allowedAgents), c.createdAt).changes === 1,
    get: (name) => {
      const row = s.get.get(name);
      return row ? codebaseFromRow(row) : undefined;
    },
    list: () => s.list.all().map(codebaseFromRow),
    remove: (name) => s.remove.run(name).changes === 1,
  };
}
