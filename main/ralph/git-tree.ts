import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { git } from '../workers/workspace/worktrees';

/** The files Ralph itself writes in the tree; never the agent's progress, never a story's diff. */
export const ralphFiles = ['prd.json', 'progress.txt'] as const;
const excludeRalph = ['--', '.', ...ralphFiles.map((f) => `:(exclude)${f}`)];

export type GitOutcome<T> = { ok: true; value: T } | { ok: false; error: string };

async function must(args: string[], cwd: string, what: string, env: Record<string, string> = {}): Promise<GitOutcome<string>> {
  const r = await git(args, cwd, env);
  if (r.ok) return { ok: true, value: r.stdout };
  if (r.missing) return { ok: false, error: `git was not found on PATH; Ralph needs it to ${what}.` };
  return { ok: false, error: `git ${args[0]} failed in ${cwd} (${what}): ${r.message}` };
}

export async function headSha(cwd: string): Promise<GitOutcome<string>> {
  return must(['rev-parse', 'HEAD'], cwd, 'read HEAD');
}

export async function branchExists(cwd: string, branch: string): Promise<boolean> {
  return (await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], cwd)).ok;
}

/** `git status --porcelain` lines of the whole repository, untracked files included. */
export async function dirtyFiles(cwd: string): Promise<GitOutcome<string[]>> {
  const r = await must(['status', '--porcelain'], cwd, 'see uncommitted changes');
  return r.ok ? { ok: true, value: r.value ? r.value.split('\n') : [] } : r;
}

/** Whether the tree at `cwd` differs from its HEAD in anything but Ralph's own files. */
export async function hasChanges(cwd: string): Promise<GitOutcome<boolean>> {
  const r = await must(['status', '--porcelain', ...excludeRalph], cwd, 'see changes');
  return r.ok ? { ok: true, value: r.value.length > 0 } : r;
}

/**
 * A hash of the whole working tree as it is now (untracked files included, ignored ones not,
 * Ralph's own files left out): the tree object `git add -A` would make, written through an index
 * of its own so the real index is untouched. Equal hashes: no file changed.
 */
export async function treeFingerprint(cwd: string): Promise<GitOutcome<string>> {
  const indexPath = await must(['rev-parse', '--git-path', 'index'], cwd, 'find the index');
  if (!indexPath.ok) return indexPath;
  const dir = mkdtempSync(join(tmpdir(), 'codetether-ralph-index-'));
  try {
    const index = join(dir, 'index');
    const real = isAbsolute(indexPath.value) ? indexPath.value : join(cwd, indexPath.value);
    // Starting from the real index lets git skip hashing every unchanged file again.
    if (existsSync(real)) copyFileSync(real, index);
    const env = { GIT_INDEX_FILE: index };
    const added = await must(['add', '-A', ...excludeRalph], cwd, 'hash the working tree', env);
    if (!added.ok) return added;
    return await must(['write-tree'], cwd, 'hash the working tree', env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Author for Ralph's commits when the repository has none configured. */
async function identity(cwd: string): Promise<string[]> {
  const email = await git(['config', 'user.email'], cwd);
  return email.ok && email.stdout ? [] : ['-c', 'user.name=CodeTether Ralph', '-c', 'user.email=ralph@codetether.invalid'];
}

/** Stages everything (Ralph's files included) and commits; the new HEAD. */
export async function commitAll(cwd: string, message: string): Promise<GitOutcome<string>> {
  const added = await must(['add', '-A', '--', '.'], cwd, 'stage the story');
  if (!added.ok) return added;
  const committed = await must([...(await identity(cwd)), 'commit', '-q', '--no-verify', '-m', message], cwd, 'commit the story');
  if (!committed.ok) return committed;
  return headSha(cwd);
}

/** The subject line of HEAD's commit. */
export async function headSubject(cwd: string): Promise<GitOutcome<string>> {
  return must(['log', '-1', '--format=%s'], cwd, 'read the last commit');
}

/** The folder of the repository's top level, and where `cwd` lies inside it ('' at the top). */
export async function topLevel(cwd: string): Promise<GitOutcome<{ top: string; prefix: string }>> {
  const r = await must(['rev-parse', '--show-toplevel', '--show-prefix'], cwd, 'find the repository');
  if (!r.ok) return r;
  const [top = '', prefix = ''] = r.value.split('\n');
  return { ok: true, value: { top, prefix } };
}

export async function addWorktree(repo: string, dir: string, branch: string, options: { newBranch: boolean; from: string }): Promise<GitOutcome<void>> {
  const args = options.newBranch ? ['worktree', 'add', '-q', '-b', branch, dir, options.from] : ['worktree', 'add', '-q', dir, branch];
  const r = await must(args, repo, `make the worktree ${dir}`);
  return r.ok ? { ok: true, value: undefined } : r;
}

export async function removeWorktree(repo: string, dir: string): Promise<void> {
  await git(['worktree', 'remove', '--force', dir], repo);
}

export async function deleteBranch(repo: string, branch: string): Promise<void> {
  await git(['branch', '-D', branch], repo);
}

/**
 * Squash-merges `branch` into the tree at `cwd` without committing. On a conflict the tree is
 * put back as it was and the conflicting files are returned.
 */
export async function squashMerge(cwd: string, branch: string): Promise<GitOutcome<{ conflicts: string[] }>> {
  const merged = await git([...(await identity(cwd)), 'merge', '--squash', '--no-commit', branch], cwd);
  if (merged.ok) return { ok: true, value: { conflicts: [] } };
  const unmerged = await git(['diff', '--name-only', '--diff-filter=U'], cwd);
  const conflicts = unmerged.ok && unmerged.stdout ? unmerged.stdout.split('\n') : [];
  await git(['reset', '-q', '--hard', 'HEAD'], cwd);
  if (conflicts.length) return { ok: true, value: { conflicts } };
  return { ok: false, error: `git merge --squash ${branch} failed in ${cwd}: ${merged.message}` };
}

/** Whether `sha` is already part of the branch checked out at `cwd`. */
export async function contains(cwd: string, sha: string): Promise<boolean> {
  return (await git(['merge-base', '--is-ancestor', sha, 'HEAD'], cwd)).ok;
}

/** `git show` of one commit: its message and patch. */
export async function showCommit(cwd: string, sha: string): Promise<GitOutcome<string>> {
  return must(['show', '--stat', '--patch', '--format=commit %H%nAuthor: %an <%ae>%nDate:   %ad%n%n    %s%n', sha], cwd, 'show the commit');
}
