import type { Db } from './open';

export interface RalphRunRow {
  id: string;
  codebase: string;
  agent: string;
  model: string | null;
  prd_json: string;
  limits_json: string;
  max_parallel: number;
  continue_branch: number;
  status: string;
  stop_reason: string | null;
  summary: string | null;
  worktree: string | null;
  base_sha: string | null;
  iterations: number;
  tokens: number;
  log_seq: number;
  started_at: number | null;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
}

export interface RalphStoryRow {
  run_id: string;
  story_id: string;
  position: number;
  state: string;
  stop_reason: string | null;
  note: string | null;
  commit_sha: string | null;
  worktree: string | null;
  branch: string | null;
  started_at: number | null;
  ended_at: number | null;
}

export interface RalphAttemptRow {
  run_id: string;
  story_id: string;
  number: number;
  task_id: string | null;
  message_id: string;
  outcome: string;
  changed: number | null;
  tokens: number | null;
  note: string | null;
  tree_before: string | null;
  head_before: string | null;
  started_at: number;
  ended_at: number | null;
}

export interface RalphCheckRow {
  run_id: string;
  story_id: string;
  attempt: number;
  position: number;
  name: string;
  command: string;
  exit_code: number | null;
  passed: number;
  timed_out: number;
  output: string;
  duration_ms: number;
  note: string | null;
}

export interface RalphLogRow {
  run_id: string;
  seq: number;
  at: number;
  type: string;
  story_id: string | null;
  message: string;
}

export type RunPatch = Partial<Pick<RalphRunRow, 'status' | 'stop_reason' | 'summary' | 'worktree' | 'base_sha' | 'iterations' | 'tokens' | 'started_at' | 'ended_at'>>;
export type StoryPatch = Partial<Pick<RalphStoryRow, 'state' | 'stop_reason' | 'note' | 'commit_sha' | 'worktree' | 'branch' | 'started_at' | 'ended_at'>>;
export type AttemptPatch = Partial<Pick<RalphAttemptRow, 'task_id' | 'outcome' | 'changed' | 'tokens' | 'note' | 'tree_before' | 'head_before' | 'ended_at'>>;

/** Ralph's durable state: runs, stories, attempts, checks and each run's log. */
export interface RalphRepository {
  /** False when the run exists already (a second start of the same task). */
  insertRun(run: RalphRunRow, stories: RalphStoryRow[]): boolean;
  getRun(id: string): RalphRunRow | undefined;
  /** Newest first; `status` filters. */
  listRuns(options: { status?: string; limit: number }): RalphRunRow[];
  updateRun(id: string, patch: RunPatch, now: number): void;
  stories(runId: string): RalphStoryRow[];
  updateStory(runId: string, storyId: string, patch: StoryPatch, now: number): void;
  insertAttempt(row: RalphAttemptRow): void;
  attempts(runId: string): RalphAttemptRow[];
  updateAttempt(runId: string, storyId: string, number: number, patch: AttemptPatch): void;
  /** The task a message started, for an attempt whose task id was not recorded before a crash. */
  taskOfMessage(messageId: string): string | undefined;
  /** Replaces the attempt's check results. */
  putChecks(runId: string, storyId: string, attempt: number, checks: RalphCheckRow[]): void;
  checks(runId: string): RalphCheckRow[];
  /** Appends a log line with the run's next seq and returns it. */
  appendLog(runId: string, line: { at: number; type: string; storyId: string | null; message: string }): RalphLogRow;
  logAfter(runId: string, afterSeq: number, limit: number): RalphLogRow[];
  /** The A2A state name of a task, and how many runs it has had. */
  taskState(taskId: string): { state: string; attempts: number } | undefined;
}

const runColumns = ['status', 'stop_reason', 'summary', 'worktree', 'base_sha', 'iterations', 'tokens', 'started_at', 'ended_at'] as const;
const storyColumns = ['state', 'stop_reason', 'note', 'commit_sha', 'worktree', 'branch', 'started_at', 'ended_at'] as const;
const attemptColumns = ['task_id', 'outcome', 'changed', 'tokens', 'note', 'tree_before', 'head_before', 'ended_at'] as const;

/** `UPDATE table SET a = ?, b = ? ...` for the columns a patch names, each statement prepared once. */
function patcher<K extends string>(db: Db, table: string, allowed: readonly K[], where: string) {
  const cache = new Map<string, ReturnType<Db['prepare']>>();
  type Args = unknown[];
  return (patch: Partial<Record<K, unknown>>, extra: Record<string, unknown>, keys: unknown[]) => {
    const cols = allowed.filter((c) => patch[c] !== undefined);
    const sets = [...cols, ...Object.keys(extra)];
    if (sets.length === 0) return;
    const key = sets.join(',');
    let stmt = cache.get(key);
    if (!stmt) {
      stmt = db.prepare(`UPDATE ${table} SET ${sets.map((c) => `${c} = ?`).join(', ')} WHERE ${where}`);
      cache.set(key, stmt);
    }
    const args: Args = [...cols.map((c) => patch[c]), ...Object.values(extra), ...keys];
    (stmt.run as (...a: Args) => unknown)(...args);
  };
}

export function createRalphRepository(db: Db): RalphRepository {
  const s = {
    insertRun: db.prepare(`INSERT INTO ralph_runs (id, codebase, agent, model, prd_json, limits_json, max_parallel, continue_branch, status, stop_reason, summary,
      worktree, base_sha, iterations, tokens, log_seq, started_at, created_at, updated_at, ended_at)
      VALUES (@id, @codebase, @agent, @model, @prd_json, @limits_json, @max_parallel, @continue_branch, @status, @stop_reason, @summary,
      @worktree, @base_sha, @iterations, @tokens, @log_seq, @started_at, @created_at, @updated_at, @ended_at) ON CONFLICT(id) DO NOTHING`),
    insertStory: db.prepare(`INSERT INTO ralph_stories (run_id, story_id, position, state, stop_reason, note, commit_sha, worktree, branch, started_at, ended_at)
      VALUES (@run_id, @story_id, @position, @state, @stop_reason, @note, @commit_sha, @worktree, @branch, @started_at, @ended_at)`),
    getRun: db.prepare<[string], RalphRunRow>('SELECT * FROM ralph_runs WHERE id = ?'),
    listAll: db.prepare<[number], RalphRunRow>('SELECT * FROM ralph_runs ORDER BY created_at DESC, id DESC LIMIT ?'),
    listByStatus: db.prepare<[string, number], RalphRunRow>('SELECT * FROM ralph_runs WHERE status = ? ORDER BY created_at DESC, id DESC LIMIT ?'),
    stories: db.prepare<[string], RalphStoryRow>('SELECT * FROM ralph_stories WHERE run_id = ? ORDER BY position'),
    insertAttempt: db.prepare(`INSERT INTO ralph_attempts (run_id, story_id, number, task_id, message_id, outcome, changed, tokens, note, tree_before, head_before, started_at, ended_at)
      VALUES (@run_id, @story_id, @number, @task_id, @message_id, @outcome, @changed, @tokens, @note, @tree_before, @head_before, @started_at, @ended_at)`),
    attempts: db.prepare<[string], RalphAttemptRow>('SELECT * FROM ralph_attempts WHERE run_id = ? ORDER BY story_id, number'),
    taskOfMessage: db.prepare<[string], { task_id: string | null }>('SELECT task_id FROM messages WHERE message_id = ? AND task_id IS NOT NULL LIMIT 1'),
    deleteChecks: db.prepare('DELETE FROM ralph_checks WHERE run_id = ? AND story_id = ? AND attempt = ?'),
    insertCheck: db.prepare(`INSERT INTO ralph_checks (run_id, story_id, attempt, position, name, command, exit_code, passed, timed_out, output, duration_ms, note)
      VALUES (@run_id, @story_id, @attempt, @position, @name, @command, @exit_code, @passed, @timed_out, @output, @duration_ms, @note)`),
    checks: db.prepare<[string], RalphCheckRow>('SELECT * FROM ralph_checks WHERE run_id = ? ORDER BY story_id, attempt, position'),
    bumpLog: db.prepare<[string], { log_seq: number }>('UPDATE ralph_runs SET log_seq = log_seq + 1 WHERE id = ? RETURNING log_seq'),
    insertLog: db.prepare('INSERT INTO ralph_log (run_id, seq, at, type, story_id, message) VALUES (?, ?, ?, ?, ?, ?)'),
    logAfter: db.prepare<[string, number, number], RalphLogRow>('SELECT * FROM ralph_log WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    taskState: db.prepare<[string], { state: string; attempts: number }>('SELECT state, attempts FROM tasks WHERE id = ?'),
  };
  const patchRun = patcher(db, 'ralph_runs', runColumns, 'id = ?');
  const patchStory = patcher(db, 'ralph_stories', storyColumns, 'run_id = ? AND story_id = ?');
  const patchAttempt = patcher(db, 'ralph_attempts', attemptColumns, 'run_id = ? AND story_id = ? AND number = ?');
  const touch = db.prepare('UPDATE ralph_runs SET updated_at = ? WHERE id = ?');

  return {
    insertRun(run, stories) {
      if (s.insertRun.run(run).changes === 0) return false;
      for (const story of stories) s.insertStory.run(story);
      return true;
    },
    getRun: (id) => s.getRun.get(id),
    listRuns: ({ status, limit }) => (status ? s.listByStatus.all(status, limit) : s.listAll.all(limit)),
    updateRun: (id, patch, now) => patchRun(patch, { updated_at: now }, [id]),
    stories: (runId) => s.stories.all(runId),
    updateStory(runId, storyId, patch, now) {
      patchStory(patch, {}, [runId, storyId]);
      touch.run(now, runId);
    },
    insertAttempt: (row) => void s.insertAttempt.run(row),
    attempts: (runId) => s.attempts.all(runId),
    updateAttempt: (runId, storyId, number, patch) => patchAttempt(patch, {}, [runId, storyId, number]),
    taskOfMessage: (messageId) => s.taskOfMessage.get(messageId)?.task_id ?? undefined,
    putChecks(runId, storyId, attempt, checks) {
      s.deleteChecks.run(runId, storyId, attempt);
      for (const c of checks) s.insertCheck.run(c);
    },
    checks: (runId) => s.checks.all(runId),
    appendLog(runId, line) {
      const seq = s.bumpLog.get(runId)!.log_seq;
      s.insertLog.run(runId, seq, line.at, line.type, line.storyId, line.message);
      return { run_id: runId, seq, at: line.at, type: line.type, story_id: line.storyId, message: line.message };
    },
    logAfter: (runId, afterSeq, limit) => s.logAfter.all(runId, afterSeq, limit),
    taskState: (taskId) => s.taskState.get(taskId),
  };
}
