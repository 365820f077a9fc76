import { TaskState } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import type { AttemptOutcome, CheckResultView } from '../../shared/ralph-api';
import type { RalphAttemptRow, RalphCheckRow } from '../store/ralph-repository';
import { interruptedStates } from '../tasks/states';
import { messageText } from '../tasks/task-text';
import { checksOf, describeFailure, runChecks } from './checks';
import { cancelChild, followChild, lostToRestart, sendChild, tokensOf } from './child-task';
import { hasChanges, headSha, treeFingerprint } from './git-tree';
import type { RunScope } from './run-scope';
import type { Story } from './prd';
import { storyPrompt } from './prompt';
import { readProgress } from './tree-files';
import type { RalphTree } from './worktree-setup';

/** How an attempt ended: `halted` when the run stopped under it (nothing recorded), else its outcome. */
export type AttemptEnd = { kind: 'halted' } | { kind: 'ended'; outcome: AttemptOutcome; note: string | null } | { kind: 'passing' };

const open: ReadonlySet<string> = new Set(['running', 'checking', 'committing']);
export const isOpen = (a: RalphAttemptRow) => open.has(a.outcome);

function checkRows(scope: RunScope, a: RalphAttemptRow, checks: CheckResultView[]): RalphCheckRow[] {
  return checks.map((c, i) => ({
    run_id: scope.runId, story_id: a.story_id, attempt: a.number, position: i, name: c.name, command: c.command, exit_code: c.exitCode,
    passed: c.passed ? 1 : 0, timed_out: c.timedOut ? 1 : 0, output: c.output, duration_ms: c.durationMs, note: c.note,
  }));
}

/** Why the story's last attempt did not pass, for the next prompt. */
export function lastFailure(scope: RunScope, story: Story, attempts: RalphAttemptRow[]): string | undefined {
  const last = attempts.at(-1);
  if (!last) return undefined;
  const failing = scope.repo
    .checks(scope.runId)
    .filter((c) => c.story_id === story.id && c.attempt === last.number && c.passed === 0)
    .map((c) => describeFailure({ name: c.name, command: c.command, exitCode: c.exit_code, passed: false, timedOut: c.timed_out === 1, output: c.output, durationMs: c.duration_ms, note: c.note }));
  const head = last.note ? `Attempt ${last.number} (${last.outcome.replace('_', ' ')}): ${last.note}` : `Attempt ${last.number}: ${last.outcome.replace('_', ' ')}`;
  return [head, ...failing].join('\n\n');
}

/** Starts the next attempt at `story` in `tree`: the attempt row and its child task in one commit. */
export async function startAttempt(scope: RunScope, story: Story, tree: RalphTree, attempts: RalphAttemptRow[]): Promise<RalphAttemptRow | AttemptEnd> {
  const [before, head] = await Promise.all([treeFingerprint(tree.cwd), headSha(tree.cwd)]);
  if (!before.ok) return { kind: 'ended', outcome: 'canceled', note: before.error };
  if (!head.ok) return { kind: 'ended', outcome: 'canceled', note: head.error };
  if (scope.stopping()) return { kind: 'halted' };
  const counted = attempts.filter((a) => a.outcome !== 'interrupted').length;
  const number = (attempts.at(-1)?.number ?? 0) + 1;
  const now = Date.now();
  const row: RalphAttemptRow = {
    run_id: scope.runId, story_id: story.id, number, task_id: null, message_id: randomUUID(), outcome: 'running', changed: null, tokens: null, note: null,
    tree_before: before.value, head_before: head.value, started_at: now, ended_at: null,
  };
  const prompt = storyPrompt({
    prd: scope.prd, story, attempt: counted + 1, maxAttempts: scope.limits.maxAttemptsPerStory, progress: readProgress(scope.runCwd()),
    lastFailure: lastFailure(scope, story, attempts), checks: checksOf(scope.prd, story).map((c) => c.command),
  });
  // The attempt row and the child task go into the same group commit (no await in between):
  // after a crash there is never a child task without its attempt, nor an attempt whose task is unknown.
  scope.store.write(scope.runId, () => {
    scope.repo.insertAttempt(row);
    const run = scope.repo.getRun(scope.runId)!;
    scope.repo.updateRun(scope.runId, { iterations: run.iterations + 1 }, now);
    const storyRow = scope.repo.stories(scope.runId).find((s) => s.story_id === story.id)!;
    scope.repo.updateStory(scope.runId, story.id, { state: 'running', started_at: storyRow.started_at ?? now }, now);
  });
  const sending = sendChild(scope.tasks(), {
    runId: scope.runId, storyId: story.id, attempt: number, messageId: row.message_id, prompt, agent: scope.run().agent,
    codebase: scope.run().codebase, worktree: tree.name, model: scope.run().model,
  });
  scope.store.log(scope.runId, 'story_start', story.id, `${story.id} attempt ${number}: ${story.title}`);
  try {
    const { task } = await sending;
    scope.store.write(scope.runId, () => scope.repo.updateAttempt(scope.runId, story.id, number, { task_id: task.id }));
    return { ...row, task_id: task.id };
  } catch (err) {
    const note = `the coding agent's task could not start: ${(err as Error).message}`;
    scope.store.write(scope.runId, () => scope.repo.updateAttempt(scope.runId, story.id, number, { outcome: 'canceled', note, ended_at: Date.now() }));
    return { kind: 'ended', outcome: 'canceled', note };
  }
}

function record(scope: RunScope, a: RalphAttemptRow, outcome: AttemptOutcome, note: string | null, extra: { changed?: boolean; tokens?: number | null } = {}): AttemptEnd {
  scope.store.write(scope.runId, () =>
    scope.repo.updateAttempt(scope.runId, a.story_id, a.number, {
      outcome, note, ended_at: Date.now(),
      ...(extra.changed === undefined ? {} : { changed: extra.changed ? 1 : 0 }),
      ...(extra.tokens === undefined ? {} : { tokens: extra.tokens }),
    }),
  );
  return { kind: 'ended', outcome, note };
}

/**
 * Follows an attempt's child task to its end, then judges the tree: the attempt passes only if
 * it left changes to commit and every check exits 0. `passing` leaves the commit to the caller.
 */
export async function finishAttempt(scope: RunScope, story: Story, tree: RalphTree, attempt: RalphAttemptRow, storyDeadline: number): Promise<AttemptEnd> {
  let a = attempt;
  let asked: string | null = null;
  if (a.outcome === 'running') {
    if (!a.task_id) {
      const found = scope.repo.taskOfMessage(a.message_id);
      if (!found) return record(scope, a, 'interrupted', 'the host stopped before its task was created');
      scope.store.write(scope.runId, () => scope.repo.updateAttempt(scope.runId, a.story_id, a.number, { task_id: found }));
      a = { ...a, task_id: found };
    }
    const followed = await followChild(scope.tasks(), a.task_id!, storyDeadline, scope.signal);
    if (followed.kind === 'halted') return { kind: 'halted' };
    if (followed.kind === 'timeout') {
      await cancelChild(scope.tasks(), a.task_id!);
      return record(scope, a, 'timed_out', `the story's wall-clock limit (${scope.limits.storyTimeoutSeconds} s) ran out while the agent worked`);
    }
    const child = followed.task;
    if (lostToRestart(child)) return record(scope, a, 'interrupted', 'the host stopped while the agent worked; the tree keeps what it changed');
    if (interruptedStates.has(child.status!.state)) {
      asked = messageText(child.status!.message) || '(no question given)';
      await cancelChild(scope.tasks(), a.task_id!);
    }
    const tokens = tokensOf(scope.tasks(), a.task_id!);
    const after = await treeFingerprint(tree.cwd);
    if (!after.ok) return record(scope, a, 'canceled', after.error);
    const changed = after.value !== a.tree_before;
    const pending = await hasChanges(tree.cwd);
    if (!pending.ok) return record(scope, a, 'canceled', pending.error);
    const agentSaid = child.status?.state === TaskState.TASK_STATE_FAILED ? ` The agent's task failed: ${messageText(child.status.message).slice(0, 500)}` : '';
    const question = asked ? ` The agent asked "${asked.slice(0, 300)}"; Ralph does not answer questions, so the attempt ended there.` : '';
    if (!pending.value) {
      return record(scope, a, changed ? 'checks_failed' : 'no_progress', `${changed ? 'the attempt left no change to commit' : 'the attempt changed no file'}.${agentSaid}${question}`.trim(), { changed, tokens });
    }
    scope.store.write(scope.runId, () => scope.repo.updateAttempt(scope.runId, a.story_id, a.number, { outcome: 'checking', changed: changed ? 1 : 0, tokens, note: (agentSaid + question).trim() || null }));
    a = { ...a, outcome: 'checking', changed: changed ? 1 : 0, tokens };
  }
  if (a.outcome === 'checking') {
    const results = await runChecks(checksOf(scope.prd, story), tree.cwd, scope.limits.checkTimeoutSeconds * 1000, scope.signal);
    if (scope.stopping()) return { kind: 'halted' };
    scope.store.write(scope.runId, () => scope.repo.putChecks(scope.runId, story.id, a.number, checkRows(scope, a, results)));
    const failed = results.filter((r) => !r.passed);
    for (const r of results) scope.store.log(scope.runId, 'check', story.id, `${story.id} attempt ${a.number}: ${r.name} ${r.passed ? 'passed' : `failed (${r.note ?? `exit ${r.exitCode}`})`}`);
    if (failed.length) {
      const what = `${failed.map((f) => `"${f.name}"`).join(', ')} failed`;
      const note = [a.note, what].filter(Boolean).join(' ');
      return record(scope, a, a.changed === 0 ? 'no_progress' : 'checks_failed', a.changed === 0 ? `the attempt changed no file; ${note}` : note);
    }
  }
  return { kind: 'passing' };
}

/** A child task still running when the run stops: canceled, its attempt recorded as such. */
export async function cancelAttempt(scope: RunScope, a: RalphAttemptRow, note: string): Promise<void> {
  if (a.task_id) await cancelChild(scope.tasks(), a.task_id);
  record(scope, a, 'canceled', note);
}
