import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Codebase } from '../store/codebase-repository';
import { namedWorktreeDir } from '../workers/workspace/worktrees';
import { addWorktree, branchExists, dirtyFiles, topLevel, type GitOutcome } from './git-tree';

/** A worktree Ralph works in: its folder, the codebase's folder inside it, its name (for child tasks) and branch. */
export interface RalphTree {
  name: string;
  dir: string;
  cwd: string;
  branch: string;
}

function listed(files: string[]): string {
  const names = files.map((l) => l.slice(3));
  return names.slice(0, 5).join(', ') + (names.length > 5 ? `, and ${names.length - 5} more` : '');
}

/**
 * Why a run on `branch` may not start in this codebase, or undefined: it refuses uncommitted
 * changes (they would not be in the run's worktree, made from HEAD) and an existing branch unless
 * told to continue it.
 */
export async function startProblem(codebase: Codebase, branch: string, continueBranch: boolean): Promise<string | undefined> {
  const dirty = await dirtyFiles(codebase.path);
  if (!dirty.ok) return `Codebase "${codebase.name}" (${codebase.path}) cannot be used: ${dirty.error}. Ralph needs a git repository with at least one commit.`;
  if (dirty.value.length) {
    return `Codebase "${codebase.name}" has uncommitted changes (${dirty.value.length} file${dirty.value.length === 1 ? '' : 's'}: ${listed(dirty.value)}). The run works in a worktree made from HEAD, so commit or stash them first.`;
  }
  if (!continueBranch && (await branchExists(codebase.path, branch))) {
    return `Branch "${branch}" already exists in codebase "${codebase.name}". Give the PRD another branchName, or set continueBranch to go on with that branch.`;
  }
  const head = await topLevel(codebase.path);
  if (!head.ok) return head.error;
  return undefined;
}

async function treeOf(codebase: Codebase, name: string, root: string, branch: string): Promise<GitOutcome<RalphTree>> {
  const top = await topLevel(codebase.path);
  if (!top.ok) return top;
  const dir = namedWorktreeDir(codebase.name, name, root);
  return { ok: true, value: { name, dir, cwd: top.value.prefix ? join(dir, top.value.prefix) : dir, branch } };
}

/**
 * The run's worktree `<root>/<codebase>/<runId>` on `branch`, made from the codebase's HEAD (or
 * on the existing branch when continuing it); an existing one is reused, so a resumed run goes
 * on where it was.
 */
export async function runTree(codebase: Codebase, runId: string, root: string, branch: string, continueBranch: boolean): Promise<GitOutcome<RalphTree>> {
  const tree = await treeOf(codebase, runId, root, branch);
  if (!tree.ok || existsSync(join(tree.value.dir, '.git'))) return tree;
  const problem = await startProblem(codebase, branch, continueBranch);
  if (problem) return { ok: false, error: problem };
  const exists = await branchExists(codebase.path, branch);
  const made = await addWorktree(codebase.path, tree.value.dir, branch, { newBranch: !exists, from: 'HEAD' });
  return made.ok ? tree : made;
}

/** A story's own worktree in parallel mode, on `<branch>--<story>` from the run branch's `from`. */
export async function storyTree(codebase: Codebase, runId: string, storyId: string, root: string, runBranch: string, from: string): Promise<GitOutcome<RalphTree>> {
  const branch = `${runBranch}--${storyId}`;
  const tree = await treeOf(codebase, `${runId}-${storyId.replace(/\./g, '_')}`, root, branch);
  if (!tree.ok || existsSync(join(tree.value.dir, '.git'))) return tree;
  const exists = await branchExists(codebase.path, branch);
  const made = await addWorktree(codebase.path, tree.value.dir, branch, { newBranch: !exists, from });
  return made.ok ? tree : made;
}
