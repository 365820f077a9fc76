import { TaskState } from '@a2a-js/sdk';
import type { RunStopReason, StoryStopReason } from '../../shared/ralph-api';
import type { RalphAttemptRow, RalphRunRow, RalphStoryRow } from '../store/ralph-repository';
import { cancelAttempt, finishAttempt, isOpen, startAttempt } from './attempt';
import type { RalphDeps, RalphStore } from './context';
import { headSha } from './git-tree';
import type { Story } from './prd';
import type { RunScope } from './run-scope';
import { commitStory } from './story-commit';
import { runSummary } from './summary';
import { startProgress, writePrdFile } from './tree-files';
import { limitsOfRow, prdOfRow } from './views';
import { runTree, storyTree, type RalphTree } from './worktree-setup';

export interface LoopInput {
  deps: RalphDeps;
  store: RalphStore;
  runId: string;
  /** The run task's signal: aborted on cancel and on host shutdown. */
  signal: AbortSignal;
  /** A progress line on the run's task. */
  report: (text: string) => void;
}

/** `halted`: the host is stopping; the run stays as it is for the next start to resume. */
export type LoopEnd = { kind: 'ended'; run: RalphRunRow } | { kind: 'halted' };

const CANCEL_NOTE = 'the run was canceled';

/** A promise chain that runs one function at a time: merges into the run's branch, one after another. */
function serial() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => {});
    return next;
  };
}

/**
 * Runs (or resumes) one Ralph run to its end: highest priority first among the stories whose
 * dependencies passed, one at a time or up to `maxParallel` at once, each story attempt a child
 * task judged by its checks, every limit enforced here with its own stop reason.
 */
export async function runLoop(input: LoopInput): Promise<LoopEnd> {
  const { deps, store, runId } = input;
  const repo = store.repo;
  const initial = repo.getRun(runId)!;
  const prd = prdOfRow(initial);
  const limits = limitsOfRow(initial);
  const byId = new Map(prd.userStories.map((s) => [s.id, s]));
  const stopCtl = new AbortController();
  let stopReason: RunStopReason | undefined;
  const halt = (reason: RunStopReason) => {
    stopReason ??= reason;
    stopCtl.abort();
  };
  const onAbort = () => stopCtl.abort();
  input.signal.addEventListener('abort', onAbort, { once: true });
  if (input.signal.aborted) stopCtl.abort();

  let runCwd = initial.worktree ?? '';
  const scope: RunScope = {
    runId, prd, limits, store, repo, tasks: deps.tasks,
    run: () => repo.getRun(runId)!,
    runCwd: () => runCwd,
    signal: stopCtl.signal,
    stopping: () => stopCtl.signal.aborted,
  };
  const finish = (status: 'completed' | 'failed' | 'canceled', reason: RunStopReason, extra?: string): LoopEnd => {
    const now = Date.now();
    store.write(runId, () => {
      const summary = [extra, runSummary(repo, scope.run(), prd)].filter(Boolean).join('\n');
      repo.updateRun(runId, { status, stop_reason: reason, summary, ended_at: now }, now);
    });
    store.log(runId, status === 'completed' ? 'complete' : 'error', null, `run ${status}: ${reason}`);
    return { kind: 'ended', run: scope.run() };
  };

  const codebase = deps.codebases.get(initial.codebase);
  if (!codebase) return finish('failed', 'setup_failed', `Codebase "${initial.codebase}" is no longer registered.`);
  const made = await runTree(codebase, runId, deps.worktreesDir, prd.branchName, initial.continue_branch === 1);
  if (input.signal.aborted) return settleAbort();
  if (!made.ok) return finish('failed', 'setup_failed', made.error);
  const run = made.value;
  runCwd = run.cwd;
  const startedAt = initial.started_at ?? Date.now();
  if (!initial.worktree) {
    const base = await headSha(run.cwd);
    writePrdFile(run.cwd, prd, new Set(repo.stories(runId).filter((s) => s.state === 'passed').map((s) => s.story_id)));
    startProgress(run.cwd, prd, runId, initial.created_at);
    store.write(runId, () => repo.updateRun(runId, { worktree: run.cwd, base_sha: base.ok ? base.value : null, status: 'running', started_at: startedAt }, Date.now()));
    store.log(runId, 'info', null, `working in ${run.dir} on branch ${run.branch}`);
  } else if (initial.status === 'pending') {
    store.write(runId, () => repo.updateRun(runId, { status: 'running', started_at: startedAt }, Date.now()));
  }

  const runDeadline = startedAt + limits.runTimeoutSeconds * 1000;
  const runTimer = setTimeout(() => halt('run_timeout'), Math.max(0, runDeadline - Date.now()));
  const merging = serial();
  const parallel = initial.max_parallel > 1;

  const storyRow = (id: string) => repo.stories(runId).find((s) => s.story_id === id)!;
  const attemptsOf = (id: string) => repo.attempts(runId).filter((a) => a.story_id === id);
  const endStory = (id: string, state: 'passed' | 'failed' | 'blocked', reason: StoryStopReason | null, note: string | null, commit?: string) => {
    const now = Date.now();
    store.write(runId, () => repo.updateStory(runId, id, { state, stop_reason: reason, note, ended_at: now, ...(commit ? { commit_sha: commit } : {}) }, now));
    store.log(runId, state === 'passed' ? 'story_pass' : 'story_fail', id, `${id} ${state}${reason ? ` (${reason.replace('_', ' ')})` : ''}${note ? `: ${note.split('\n')[0]}` : ''}`);
    input.report(`${id} ${state}${note ? `: ${note.split('\n')[0]}` : ''}`);
  };

  /** The tree a story works in: the run's, or in parallel mode its own off the run branch. */
  async function treeFor(story: Story): Promise<RalphTree | string> {
    if (!parallel) return run;
    const existing = storyRow(story.id);
    const from = await headSha(run.cwd);
    if (!from.ok) return from.error;
    const t = await storyTree(codebase!, runId, story.id, deps.worktreesDir, prd.branchName, from.value);
    if (!t.ok) return t.error;
    if (existing.worktree !== t.value.cwd) store.write(runId, () => repo.updateStory(runId, story.id, { worktree: t.value.cwd, branch: t.value.branch }, Date.now()));
    return t.value;
  }

  /** Limits checked before an attempt starts; a run limit halts the whole run. */
  function storyLimit(story: Story, attempts: RalphAttemptRow[]): { reason: StoryStopReason; note: string } | undefined {
    const row = storyRow(story.id);
    if (row.started_at !== null && Date.now() >= row.started_at + limits.storyTimeoutSeconds * 1000) {
      return { reason: 'story_timeout', note: `the story's wall-clock limit of ${limits.storyTimeoutSeconds} s ran out` };
    }
    const counted = attempts.filter((a) => a.outcome !== 'interrupted');
    let streak = 0;
    for (const a of [...counted].reverse()) {
      if (a.outcome !== 'no_progress') break;
      streak++;
    }
    if (streak >= limits.maxNoProgress) return { reason: 'no_progress', note: `${streak} attempts in a row changed no file` };
    if (counted.length >= limits.maxAttemptsPerStory) {
      return { reason: 'max_attempts', note: `${counted.length} attempts did not pass; the last: ${counted.at(-1)?.note ?? counted.at(-1)?.outcome}` };
    }
    const r = scope.run();
    if (r.iterations >= limits.maxIterations) halt('max_iterations');
    else if (limits.maxTokens !== null && r.tokens >= limits.maxTokens) halt('token_limit');
    return undefined;
  }

  async function driveStory(story: Story): Promise<void> {
    const tree = await treeFor(story);
    if (typeof tree === 'string') return endStory(story.id, 'failed', 'run_stopped', tree);
    for (;;) {
      if (stopCtl.signal.aborted) return;
      let attempts = attemptsOf(story.id);
      let current = attempts.at(-1);
      if (!current || !isOpen(current)) {
        const limit = storyLimit(story, attempts);
        if (stopCtl.signal.aborted) return;
        if (limit) return endStory(story.id, 'failed', limit.reason, limit.note);
        const started = await startAttempt(scope, story, tree as RalphTree, attempts);
        if ('kind' in started) {
          if (started.kind === 'halted') return;
          if (started.kind === 'ended') return endStory(story.id, 'failed', 'agent_unavailable', started.note);
          continue;
        }
        input.report(`${story.id} attempt ${started.number}: ${story.title}`);
        current = started;
        attempts = attemptsOf(story.id);
      }
      const rowStart = storyRow(story.id).started_at ?? current.started_at;
      const end = current.outcome === 'committing' ? { kind: 'passing' as const } : await finishAttempt(scope, story, tree as RalphTree, current, rowStart + limits.storyTimeoutSeconds * 1000);
      const tokens = repo.attempts(runId).reduce((sum, a) => sum + (a.tokens ?? 0), 0);
      if (tokens !== scope.run().tokens) store.write(runId, () => repo.updateRun(runId, { tokens }, Date.now()));
      if (end.kind === 'halted') return;
      if (end.kind === 'ended') {
        store.log(runId, 'attempt', story.id, `${story.id} attempt ${current.number}: ${end.outcome.replace('_', ' ')}${end.note ? `: ${end.note.split('\n')[0]}` : ''}`);
        if (end.outcome === 'timed_out') return endStory(story.id, 'failed', 'story_timeout', end.note);
        if (limits.maxTokens !== null && tokens >= limits.maxTokens) halt('token_limit');
        continue;
      }
      store.write(runId, () => repo.updateAttempt(runId, story.id, current!.number, { outcome: 'committing' }));
      await store.durable();
      const committed = await commitStory(scope, story, tree as RalphTree, current, merging);
      const now = Date.now();
      if (committed.ok) {
        store.write(runId, () => repo.updateAttempt(runId, story.id, current!.number, { outcome: 'passed', ended_at: now }));
        store.log(runId, 'commit', story.id, `${story.id} committed ${committed.sha.slice(0, 10)}`);
        return endStory(story.id, 'passed', null, null, committed.sha);
      }
      store.write(runId, () => repo.updateAttempt(runId, story.id, current!.number, { outcome: committed.conflict ? 'merge_conflict' : 'canceled', note: committed.note, ended_at: now }));
      return endStory(story.id, 'failed', committed.conflict ? 'merge_conflict' : 'run_stopped', committed.note);
    }
  }

  /** Pending stories whose dependency failed or was blocked can never run. */
  function blockStories(rows: RalphStoryRow[]): boolean {
    const state = new Map(rows.map((r) => [r.story_id, r.state]));
    let changed = false;
    for (const r of rows) {
      if (r.state !== 'pending') continue;
      const bad = byId.get(r.story_id)!.dependsOn.filter((d) => state.get(d) === 'failed' || state.get(d) === 'blocked');
      if (bad.length) {
        endStory(r.story_id, 'blocked', 'dependency_failed', `depends on ${bad.join(', ')}, which did not pass`);
        changed = true;
      }
    }
    return changed;
  }

  const active = new Map<string, Promise<void>>();
  try {
    for (;;) {
      if (stopCtl.signal.aborted) break;
      let rows = repo.stories(runId);
      while (blockStories(rows)) rows = repo.stories(runId);
      const state = new Map(rows.map((r) => [r.story_id, r.state]));
      const ready = rows
        .filter((r) => (r.state === 'running' || r.state === 'pending') && !active.has(r.story_id))
        .filter((r) => byId.get(r.story_id)!.dependsOn.every((d) => state.get(d) === 'passed'))
        .sort((a, b) => (a.state === 'running' ? 0 : 1) - (b.state === 'running' ? 0 : 1) || byId.get(a.story_id)!.priority - byId.get(b.story_id)!.priority || a.position - b.position);
      for (const r of ready) {
        if (active.size >= initial.max_parallel) break;
        const story = byId.get(r.story_id)!;
        const p = driveStory(story).catch((err: Error) => endStory(story.id, 'failed', 'run_stopped', `Ralph failed on this story: ${err.message}`));
        active.set(r.story_id, p.finally(() => active.delete(r.story_id)));
      }
      if (active.size === 0) break;
      await Promise.race(active.values());
    }
    await Promise.allSettled(active.values());
  } finally {
    clearTimeout(runTimer);
    input.signal.removeEventListener('abort', onAbort);
  }
  if (input.signal.aborted) return settleAbort();
  if (stopReason) {
    await cancelOpen(`the run stopped: ${stopReason.replace('_', ' ')}`);
    return finish('failed', stopReason);
  }
  const rows = repo.stories(runId);
  return rows.every((r) => r.state === 'passed') ? finish('completed', 'completed') : finish('failed', 'stories_failed');

  /** Cancels every child task still running and records those attempts and stories as stopped. */
  async function cancelOpen(note: string): Promise<void> {
    for (const a of repo.attempts(runId).filter(isOpen)) await cancelAttempt(scope, a, note);
    for (const r of repo.stories(runId).filter((s) => s.state === 'running')) endStory(r.story_id, 'failed', 'run_stopped', note);
  }

  /** Canceled: stop every story's agent and end the run canceled. Host shutdown: leave all as it is. */
  async function settleAbort(): Promise<LoopEnd> {
    const task = deps.tasks().get(runId);
    if (task.status?.state !== TaskState.TASK_STATE_CANCELED) return { kind: 'halted' };
    await cancelOpen(CANCEL_NOTE);
    return finish('canceled', 'canceled');
  }
}
