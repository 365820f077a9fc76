import type { Migration } from '../migration';

/**
 * Ralph's runs, their stories, each story's attempts (one child task each) with the checks that
 * judged them, and the run's log. A run is a task of agent `ralph` and shares its id, so the
 * run goes when its task is deleted.
 */
export const m0013: Migration = {
  version: 13,
  name: 'ralph',
  sql: `
    CREATE TABLE ralph_runs (
      id TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
      codebase TEXT NOT NULL,
      agent TEXT NOT NULL,
      model TEXT,
      prd_json TEXT NOT NULL,
      limits_json TEXT NOT NULL,
      max_parallel INTEGER NOT NULL,
      continue_branch INTEGER NOT NULL,
      status TEXT NOT NULL,
      stop_reason TEXT,
      summary TEXT,
      worktree TEXT,
      base_sha TEXT,
      iterations INTEGER NOT NULL DEFAULT 0,
      tokens INTEGER NOT NULL DEFAULT 0,
      log_seq INTEGER NOT NULL DEFAULT 0,
      started_at INTEGER,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      ended_at INTEGER
    ) STRICT;
    CREATE INDEX ralph_runs_by_created ON ralph_runs(created_at);

    CREATE TABLE ralph_stories (
      run_id TEXT NOT NULL REFERENCES ralph_runs(id) ON DELETE CASCADE,
      story_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      state TEXT NOT NULL,
      stop_reason TEXT,
      note TEXT,
      commit_sha TEXT,
      worktree TEXT,
      branch TEXT,
      started_at INTEGER,
      ended_at INTEGER,
      PRIMARY KEY (run_id, story_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE ralph_attempts (
      run_id TEXT NOT NULL,
      story_id TEXT NOT NULL,
      number INTEGER NOT NULL,
      task_id TEXT,
      message_id TEXT NOT NULL,
      outcome TEXT NOT NULL,
      changed INTEGER,
      tokens INTEGER,
      note TEXT,
      tree_before TEXT,
      head_before TEXT,
      started_at INTEGER NOT NULL,
      ended_at INTEGER,
      PRIMARY KEY (run_id, story_id, number),
      FOREIGN KEY (run_id, story_id) REFERENCES ralph_stories(run_id, story_id) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE ralph_checks (
      run_id TEXT NOT NULL,
      story_id TEXT NOT NULL,
      attempt INTEGER NOT NULL,
      position INTEGER NOT NULL,
      name TEXT NOT NULL,
      command TEXT NOT NULL,
      exit_code INTEGER,
      passed INTEGER NOT NULL,
      timed_out INTEGER NOT NULL,
      output TEXT NOT NULL,
      duration_ms INTEGER NOT NULL,
      note TEXT,
      PRIMARY KEY (run_id, story_id, attempt, position),
      FOREIGN KEY (run_id, story_id, attempt) REFERENCES ralph_attempts(run_id, story_id, number) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE ralph_log (
      run_id TEXT NOT NULL REFERENCES ralph_runs(id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      at INTEGER NOT NULL,
      type TEXT NOT NULL,
      story_id TEXT,
      message TEXT NOT NULL,
      PRIMARY KEY (run_id, seq)
    ) STRICT, WITHOUT ROWID;
  `,
};
