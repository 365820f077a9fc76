import type { Codebase } from '../../store/codebase-repository';
import { isActiveName, isTerminal, stateFromName } from '../../tasks/states';
import type { Outcome } from './codebases';
import { findTaskWorktrees, type TaskWorktree } from './worktree-inventory';
import { git, taskBranch } from './worktrees';

/** What the host's database says of a task: its state name ("working") and when it last changed. */
export interface TaskInfo {
  state: string;
  updatedAt: number;
}

/** Where to look: the worktrees folder, the registered codebases, and the host's tasks. */
export interface WorktreeScope {
  root: string;
  codebases: readonly Codebase[];
  task: (taskId: string) => TaskInfo | undefined;
}

export interface Removed {
  worktree: TaskWorktree;
  /** The deleted branch; null when the task had none left. */
  branch: string | null;
}

export interface PruneItem {
  worktree: TaskWorktree;
  /** Removed, or would be on a dry run. */
  removed: boolean;
  /** Why it was kept, or what of it was kept. */
  note: string;
  /** git refused something it was asked to do. */
  failed: boolean;
}

const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;

function ended(task: TaskInfo | undefined): boolean {
  const state = task && stateFromName(task.state);
  return state !== undefined && isTerminal(state);
}

async function branchExists(repo: string, branch: string): Promise<boolean> {
  return (await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], repo)).ok;
}

/** Whether HEAD of the repository contains every commit of the branch, the test `git branch -d` makes. */
async function merged(repo: string, branch: string): Promise<boolean> {
  return (await git(['merge-base', '--is-ancestor', `refs/heads/${branch}`, 'HEAD'], repo)).ok;
}

/** Removes the folder and git's record of it; a folder deleted by hand leaves only the record. */
async function dropWorktree(wt: TaskWorktree & { repo: string }, force: boolean): Promise<Outcome<void>> {
  const r = wt.missing ? await git(['worktree', 'prune'], wt.repo) : await git(['worktree', 'remove', ...(force ? ['--force'] : []), wt.dir], wt.repo);
  return r.ok ? { ok: true, value: undefined } : { ok: false, error: `git worktree ${wt.missing ? 'prune' : 'remove'} failed in ${wt.repo}: ${r.message}` };
}

function unreadable(wt: TaskWorktree): string {
  return `${wt.dir} is not a worktree git can read (${wt.problem ?? 'no repository found'}). Delete the folder by hand if you no longer need it.`;
}

/**
 * Removes the task's worktree and deletes its branch. A submitted or working task is refused
 * always: its agent may be in the folder. `force` lets an interrupted or unknown task, uncommitted
 * changes and an unmerged branch go; without it each is refused with what to do.
 */
export async function removeTaskWorktree(scope: WorktreeScope, taskId: string, force: boolean): Promise<Outcome<Removed>> {
  const wt = (await findTaskWorktrees(scope.root, scope.codebases)).find((w) => w.taskId === taskId);
  if (!wt) return { ok: false, error: `No worktree of task "${taskId}" under ${scope.root}. "codetether worktree list" shows them.` };
  if (wt.repo === undefined || wt.problem !== undefined) return { ok: false, error: unreadable(wt) };
  const repo = wt.repo;
  const task = scope.task(taskId);
  if (task && isActiveName(task.state)) {
    return { ok: false, error: `Task ${taskId} is ${task.state}: its agent may be working in ${wt.dir}. Wait for the task to end or cancel it, then remove the worktree.` };
  }
  if (!force && !ended(task)) {
    const why = task ? `is ${task.state}, and an answer would continue it in this worktree` : 'is not in this host\'s database, so whether it still runs is unknown';
    return { ok: false, error: `Task ${taskId} ${why}. Add --force to remove the worktree anyway.` };
  }
  if (!force && wt.changes > 0) {
    return { ok: false, error: `Worktree ${wt.dir} has uncommitted changes (${files(wt.changes)}). Commit them to keep them, or add --force to discard them.` };
  }
  const branch = taskBranch(taskId);
  const hasBranch = await branchExists(repo, branch);
  if (!force && hasBranch && !(await merged(repo, branch))) {
    return { ok: false, error: `Branch ${branch} has commits that HEAD of ${repo} does not. Merge it (git -C ${repo} merge ${branch}), or add --force to delete it anyway.` };
  }
  const dropped = await dropWorktree({ ...wt, repo }, force);
  if (!dropped.ok) return dropped;
  if (hasBranch) {
    const deleted = await git(['branch', force ? '-D' : '-d', branch], repo);
    if (!deleted.ok) return { ok: false, error: `Removed worktree ${wt.dir}, but git branch ${force ? '-D' : '-d'} ${branch} failed in ${repo}: ${deleted.message}` };
  }
  return { ok: true, value: { worktree: wt, branch: hasBranch ? branch : null } };
}

/** "3d", "5h", "12m", "40s": the largest whole unit. */
export function shortAge(ms: number): string {
  const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  for (const [unit, size] of units) if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  return '0s';
}

/** Why prune keeps the worktree whatever git says; undefined when it may go. */
function keepReason(wt: TaskWorktree, task: TaskInfo | undefined, olderThanMs: number, now: number): string | undefined {
  if (wt.repo === undefined || wt.problem !== undefined) return `git cannot read it (${wt.problem ?? 'no repository found'})`;
  if (!task) return 'unknown task';
  if (!ended(task)) return `task is ${task.state}`;
  const age = now - task.updatedAt;
  if (age < olderThanMs) return `task ended ${shortAge(age)} ago, less than ${shortAge(olderThanMs)}`;
  if (wt.changes > 0) return `uncommitted changes (${files(wt.changes)})`;
  return undefined;
}

/**
 * Removes the clean worktrees of tasks that ended at least `olderThanMs` ago and deletes their
 * branches with `git branch -d`, which keeps a branch HEAD has not merged. `dryRun` only reports.
 */
export async function pruneTaskWorktrees(scope: WorktreeScope, options: { olderThanMs: number; now: number; dryRun: boolean }): Promise<PruneItem[]> {
  const items: PruneItem[] = [];
  for (const wt of await findTaskWorktrees(scope.root, scope.codebases)) {
    const why = keepReason(wt, scope.task(wt.taskId), options.olderThanMs, options.now);
    if (why !== undefined || wt.repo === undefined) {
      items.push({ worktree: wt, removed: false, note: why ?? '', failed: false });
      continue;
    }
    const repo = wt.repo;
    const branch = taskBranch(wt.taskId);
    const hasBranch = await branchExists(repo, branch);
    const keepBranch = hasBranch && !(await merged(repo, branch));
    const branchNote = (done: boolean) => {
      if (!hasBranch) return 'no branch left';
      if (keepBranch) return `${done ? 'kept' : 'would keep'} branch ${branch}: HEAD of ${repo} has not merged it`;
      return `${done ? 'deleted' : 'would delete'} branch ${branch}`;
    };
    if (options.dryRun) {
      items.push({ worktree: wt, removed: true, note: branchNote(false), failed: false });
      continue;
    }
    const dropped = await dropWorktree({ ...wt, repo }, false);
    if (!dropped.ok) {
      items.push({ worktree: wt, removed: false, note: dropped.error, failed: true });
      continue;
    }
    const deleted = hasBranch && !keepBranch ? await git(['branch', '-d', branch], repo) : undefined;
    if (deleted && !deleted.ok) items.push({ worktree: wt, removed: true, note: `kept branch ${branch}: ${deleted.message.split('\n')[0]}`, failed: true });
    else items.push({ worktree: wt, removed: true, note: branchNote(true), failed: false });
  }
  return items;
}
