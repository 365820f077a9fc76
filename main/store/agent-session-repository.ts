import type { Db } from './open';

/** A CLI's session lives on the machine and in the project it ran in: one per context, agent and codebase. */
export interface SessionKey {
  contextId: string;
  agent: string;
  /** The codebase's name, or for a run in a task's worktree, the name and that worktree's folder. */
  codebase: string;
}

/** The CLI session ids of each context (migration 0009). */
export interface AgentSessionRepository {
  get(key: SessionKey): string | undefined;
  put(key: SessionKey, sessionId: string): void;
}

export function createAgentSessionRepository(db: Db, now: () => number = Date.now): AgentSessionRepository {
  const s = {
    get: db.prepare<[string, string, string], { session_id: string }>('SELECT session_id FROM agent_sessions WHERE context_id = ? AND agent = ? AND codebase = ?'),
    put: db.prepare(
      `INSERT INTO agent_sessions (context_id, agent, codebase, session_id, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (context_id, agent, codebase) DO UPDATE SET session_id = excluded.session_id, updated_at = excluded.updated_at`,
    ),
  };
  return {
    get: (k) => s.get.get(k.contextId, k.agent, k.codebase)?.session_id,
    put: (k, sessionId) => {
      s.put.run(k.contextId, k.agent, k.codebase, sessionId, now());
    },
  };
}
