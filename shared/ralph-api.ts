/**
 * What Ralph's REST routes (`/v1/ralph/*`), its MCP tools and the monitor's Ralph view exchange.
 * A run is an A2A task of agent `ralph`: its id is that task's id.
 */

export const runStatuses = ['pending', 'running', 'completed', 'failed', 'canceled'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const storyStates = ['pending', 'running', 'passed', 'failed', 'blocked'] as const;
export type StoryState = (typeof storyStates)[number];

/** Why a run stopped; `completed` only when every story passed. */
export type RunStopReason =
  | 'completed'
  | 'stories_failed'
  | 'max_iterations'
  | 'run_timeout'
  | 'token_limit'
  | 'canceled'
  | 'setup_failed';

/** Why a story ended without passing. */
export type StoryStopReason = 'max_attempts' | 'no_progress' | 'story_timeout' | 'merge_conflict' | 'dependency_failed' | 'run_stopped' | 'agent_unavailable';

export type AttemptOutcome =
  | 'running'
  | 'checking'
  | 'committing'
  | 'passed'
  | 'checks_failed'
  | 'no_progress'
  | 'interrupted'
  | 'canceled'
  | 'timed_out'
  | 'merge_conflict';

export interface RalphLimits {
  /** Attempts per story before it fails (default 3). */
  maxAttemptsPerStory: number;
  /** Story attempts in the whole run (default 10 x stories, at most 500). */
  maxIterations: number;
  /** Attempts in a row that change no file before the story stops (default 2). */
  maxNoProgress: number;
  /** Wall-clock per story, all its attempts and checks together. */
  storyTimeoutSeconds: number;
  /** Wall-clock for the whole run. */
  runTimeoutSeconds: number;
  /** Each check command's timeout. */
  checkTimeoutSeconds: number;
  /** Tokens the agents may report using, summed over the run; null: no limit. */
  maxTokens: number | null;
}

export interface CheckResultView {
  name: string;
  command: string;
  exitCode: number | null;
  passed: boolean;
  timedOut: boolean;
  /** The kept output (stdout and stderr interleaved, the tail when it was long). */
  output: string;
  durationMs: number;
  /** Why it did not pass although it exited 0 (`expectOutput` missing), or why it could not run. */
  note: string | null;
}

export interface AttemptView {
  number: number;
  /** The child task the coding agent ran; null only in the instant before it is created. */
  taskId: string | null;
  outcome: AttemptOutcome;
  /** The state of the child task as the host has it now. */
  taskState: string | null;
  changedFiles: boolean | null;
  tokens: number | null;
  note: string | null;
  checks: CheckResultView[];
  startedAt: number;
  endedAt: number | null;
}

export interface StoryView {
  id: string;
  title: string;
  description: string;
  acceptanceCriteria: string[];
  priority: number;
  dependsOn: string[];
  state: StoryState;
  stopReason: StoryStopReason | null;
  /** What happened, in one line (the failing check, the conflicting files, ...). */
  note: string | null;
  /** The commit on the run's branch that holds this story; null until it passed. */
  commit: string | null;
  attempts: AttemptView[];
}

export interface RunView {
  id: string;
  project: string;
  description: string;
  branchName: string;
  codebase: string;
  agent: string;
  model: string | null;
  status: RunStatus;
  stopReason: RunStopReason | null;
  /** The closing summary: per story, passed or why not. */
  summary: string | null;
  mode: 'sequential' | 'parallel';
  maxParallel: number;
  limits: RalphLimits;
  /** Attempts started so far in the run. */
  iterations: number;
  tokens: number;
  /** The run's git worktree; null until it is made. */
  worktree: string | null;
  storiesPassed: number;
  storiesTotal: number;
  stories: StoryView[];
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
}

/** A run in a list: no stories. */
export type RunSummaryView = Omit<RunView, 'stories'>;

export interface RunLogLine {
  seq: number;
  at: number;
  /** info, story_start, story_pass, story_fail, check, commit, error, complete */
  type: string;
  storyId: string | null;
  message: string;
}

/** POST /v1/ralph/runs; the seed's snake_case names (`codebase_id`, `max_iterations`, `run_mode`, `max_parallel`) are read too. */
export interface CreateRunRequest {
  prd: unknown;
  codebase: string;
  agent?: string;
  model?: string;
  maxParallel?: number;
  limits?: Partial<RalphLimits>;
  /** Work on `branchName` although it exists (a run that continues it). */
  continueBranch?: boolean;
}

/** POST /v1/ralph/prd: the PRD chat. */
export interface PrdChatRequest {
  message: string;
  codebase: string;
  agent?: string;
  model?: string;
  /** Continue an earlier PRD chat (its contextId). */
  contextId?: string;
}

export interface PrdChatResult {
  taskId: string;
  contextId: string;
  /** The PRD the agent wrote, when it is valid. */
  prd: unknown | null;
  /** Why the PRD is not usable (none written, not JSON, invalid), one per line. */
  errors: string[];
  /** What the agent said. */
  reply: string;
}
