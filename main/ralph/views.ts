import type { AttemptOutcome, AttemptView, RalphLimits, RunLogLine, RunStatus, RunStopReason, RunSummaryView, RunView, StoryState, StoryStopReason } from '../../shared/ralph-api';
import type { RalphCheckRow, RalphLogRow, RalphRepository, RalphRunRow } from '../store/ralph-repository';
import type { Prd } from './prd';

export function prdOfRow(run: RalphRunRow): Prd {
  return JSON.parse(run.prd_json) as Prd;
}

export function limitsOfRow(run: RalphRunRow): RalphLimits {
  return JSON.parse(run.limits_json) as RalphLimits;
}

export function summaryView(repo: RalphRepository, run: RalphRunRow): RunSummaryView {
  const prd = prdOfRow(run);
  const stories = repo.stories(run.id);
  return {
    id: run.id,
    project: prd.project,
    description: prd.description,
    branchName: prd.branchName,
    codebase: run.codebase,
    agent: run.agent,
    model: run.model,
    status: run.status as RunStatus,
    stopReason: run.stop_reason as RunStopReason | null,
    summary: run.summary,
    mode: run.max_parallel > 1 ? 'parallel' : 'sequential',
    maxParallel: run.max_parallel,
    limits: limitsOfRow(run),
    iterations: run.iterations,
    tokens: run.tokens,
    worktree: run.worktree,
    storiesPassed: stories.filter((s) => s.state === 'passed').length,
    storiesTotal: stories.length,
    createdAt: run.created_at,
    updatedAt: run.updated_at,
    endedAt: run.ended_at,
  };
}

function checkView(c: RalphCheckRow) {
  return { name: c.name, command: c.command, exitCode: c.exit_code, passed: c.passed === 1, timedOut: c.timed_out === 1, output: c.output, durationMs: c.duration_ms, note: c.note };
}

export function runView(repo: RalphRepository, run: RalphRunRow): RunView {
  const prd = prdOfRow(run);
  const byId = new Map(prd.userStories.map((s) => [s.id, s]));
  const attempts = repo.attempts(run.id);
  const checks = repo.checks(run.id);
  const stories = repo.stories(run.id).map((row) => {
    const story = byId.get(row.story_id)!;
    const mine: AttemptView[] = attempts
      .filter((a) => a.story_id === row.story_id)
      .map((a) => ({
        number: a.number,
        taskId: a.task_id,
        outcome: a.outcome as AttemptOutcome,
        taskState: a.task_id ? (repo.taskState(a.task_id)?.state ?? null) : null,
        changedFiles: a.changed === null ? null : a.changed === 1,
        tokens: a.tokens,
        note: a.note,
        checks: checks.filter((c) => c.story_id === row.story_id && c.attempt === a.number).map(checkView),
        startedAt: a.started_at,
        endedAt: a.ended_at,
      }));
    return {
      id: story.id,
      title: story.title,
      description: story.description,
      acceptanceCriteria: story.acceptanceCriteria,
      priority: story.priority,
      dependsOn: story.dependsOn,
      state: row.state as StoryState,
      stopReason: row.stop_reason as StoryStopReason | null,
      note: row.note,
      commit: row.commit_sha,
      attempts: mine,
    };
  });
  return { ...summaryView(repo, run), stories };
}

export function logLine(row: RalphLogRow): RunLogLine {
  return { seq: row.seq, at: row.at, type: row.type, storyId: row.story_id, message: row.message };
}
