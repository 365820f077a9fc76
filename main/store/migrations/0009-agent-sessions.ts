import type { Migration } from '../migration';

/**
 * The session ids coding agent CLIs (OpenCode, Claude Code, ...) report, so the next task of an
 * A2A context continues the CLI's own session. Keyed by codebase too: a CLI session belongs to
 * the project it ran in.
 */
export const m0009: Migration = {
  version: 9,
  name: 'agent-sessions',
  sql: `
    CREATE TABLE agent_sessions (
      context_id TEXT NOT NULL,
      agent TEXT NOT NULL,
      codebase TEXT NOT NULL,
      session_id TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (context_id, agent, codebase)
    ) STRICT;
  `,
};
