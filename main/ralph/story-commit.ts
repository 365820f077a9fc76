import type { RalphAttemptRow } from '../store/ralph-repository';
import { commitAll, deleteBranch, headSha, headSubject, removeWorktree, squashMerge, type GitOutcome } from './git-tree';
import type { Story } from './prd';
import type { RunScope } from './run-scope';
import { appendProgress, writePrdFile } from './tree-files';
import type { RalphTree } from './worktree-setup';

export type CommitEnd = { ok: true; sha: string } | { ok: false; conflict: boolean; note: string };

export function commitMessage(story: Story): string {
  return `feat: [${story.id}] - ${story.title}`;
}

function progressEntry(scope: RunScope, story: Story, attempt: RalphAttemptRow): string {
  const checks = scope.repo.checks(scope.runId).filter((c) => c.story_id === story.id && c.attempt === attempt.number);
  const earlier = scope.repo.attempts(scope.runId).filter((a) => a.story_id === story.id && a.number < attempt.number);
  const lines = [
    `### ${story.id} - ${story.title}: passed on attempt ${attempt.number} (${new Date(attempt.ended_at ?? attempt.started_at).toISOString()})`,
    ...earlier.map((a) => `- attempt ${a.number}: ${a.outcome.replace('_', ' ')}${a.note ? `: ${a.note.split('\n')[0]!.slice(0, 200)}` : ''}`),
    `- checks: ${checks.length ? checks.map((c) => `${c.name} ok`).join(', ') : 'none (the change itself)'}`,
  ];
  return lines.join('\n');
}

/** The tree's HEAD is this story's commit already (the commit was made, the record of it lost in a crash). */
async function alreadyCommitted(cwd: string, story: Story, before: string | null): Promise<string | undefined> {
  const [head, subject] = await Promise.all([headSha(cwd), headSubject(cwd)]);
  if (head.ok && subject.ok && head.value !== before && subject.value === commitMessage(story)) return head.value;
  return undefined;
}

/** prd.json with this story passed and its progress entry, then one commit of everything in the run's tree. */
async function commitInRunTree(scope: RunScope, story: Story, attempt: RalphAttemptRow, before: string | null): Promise<GitOutcome<string>> {
  const cwd = scope.runCwd();
  const done = await alreadyCommitted(cwd, story, before);
  if (done) return { ok: true, value: done };
  const passed = new Set(scope.repo.stories(scope.runId).filter((s) => s.state === 'passed').map((s) => s.story_id));
  passed.add(story.id);
  writePrdFile(cwd, scope.prd, passed);
  appendProgress(cwd, progressEntry(scope, story, attempt));
  return commitAll(cwd, commitMessage(story));
}

/**
 * Commits a story that passed: in sequential mode in the run's tree, one commit with prd.json and
 * progress.txt; in parallel mode first in the story's own tree, then squash-merged into the run's
 * tree (serialized by `merging`) and committed there the same way. Safe to call again after a
 * crash at any step: a commit already made is recognized by its subject, never made twice.
 */
export async function commitStory(scope: RunScope, story: Story, tree: RalphTree, attempt: RalphAttemptRow, merging: <T>(fn: () => Promise<T>) => Promise<T>): Promise<CommitEnd> {
  const parallel = tree.cwd !== scope.runCwd();
  if (!parallel) {
    const sha = await commitInRunTree(scope, story, attempt, attempt.head_before);
    return sha.ok ? { ok: true, sha: sha.value } : { ok: false, conflict: false, note: sha.error };
  }
  if (!(await alreadyCommitted(tree.cwd, story, attempt.head_before))) {
    const own = await commitAll(tree.cwd, commitMessage(story));
    if (!own.ok) return { ok: false, conflict: false, note: own.error };
  }
  return merging(async () => {
    const done = await alreadyCommitted(scope.runCwd(), story, null);
    if (!done) {
      const runHead = await headSha(scope.runCwd());
      const merged = await squashMerge(scope.runCwd(), tree.branch);
      if (!merged.ok) return { ok: false, conflict: false, note: merged.error };
      if (merged.value.conflicts.length) {
        return { ok: false, conflict: true, note: `merging ${tree.branch} into ${scope.prd.branchName} conflicts in ${merged.value.conflicts.join(', ')}; the story's branch ${tree.branch} is kept` };
      }
      const sha = await commitInRunTree(scope, story, attempt, runHead.ok ? runHead.value : null);
      if (!sha.ok) return { ok: false, conflict: false, note: sha.error };
    }
    const sha = await headSha(scope.runCwd());
    if (!sha.ok) return { ok: false, conflict: false, note: sha.error };
    // Merged: the story's worktree and branch hold nothing the run's branch lacks.
    await removeWorktree(scope.runCwd(), tree.dir);
    await deleteBranch(scope.runCwd(), tree.branch);
    return { ok: true, sha: sha.value };
  });
}
