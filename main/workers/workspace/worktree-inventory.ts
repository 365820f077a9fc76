import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Codebase } from '../../store/codebase-repository';
import { git } from './worktrees';

/** A task's worktree at `<root>/<codebase>/<taskId>`, as its folder and git tell it. */
export interface TaskWorktree {
  codebase: string;
  taskId: string;
  dir: string;
  /** The main folder of its repository; undefined when git cannot read the worktree (see `problem`). */
  repo?: string;
  /** The branch checked out in it; null when detached or unknown. */
  branch: string | null;
  /** The folder was deleted by hand while git still records the worktree. */
  missing: boolean;
  /** Lines of `git status --porcelain`: uncommitted changes, untracked files included. */
  changes: number;
  /** Why git cannot read it (the repository moved or was deleted, say). */
  problem?: string;
}

interface WorktreeRecord {
  path: string;
  branch: string | null;
}

/** `git worktree list --porcelain`, the main worktree first. */
function parseWorktreeList(text: string): WorktreeRecord[] {
  return text
    .split(/\n\n+/)
    .map((block) => block.split('\n'))
    .filter((lines) => lines[0]?.startsWith('worktree '))
    .map((lines) => {
      const ref = lines.find((l) => l.startsWith('branch '))?.slice('branch '.length);
      return { path: lines[0]!.slice('worktree '.length), branch: ref?.replace(/^refs\/heads\//, '') ?? null };
    });
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * Every task worktree under `root`: the folders there, and the worktrees git records there whose
 * folder was deleted by hand. The repository is found from a registered codebase or, for a codebase
 * no longer registered, from the worktree folder itself.
 */
export async function findTaskWorktrees(root: string, codebases: readonly Codebase[]): Promise<TaskWorktree[]> {
  // git may record the worktree by the real path of the data dir, or by the one it was given.
  const roots = existsSync(root) ? [...new Set([root, realpathSync(root)])] : [root];
  const keyOf = (path: string): string | undefined => {
    for (const r of roots) {
      const parts = relative(r, path).split(sep);
      if (parts.length === 2 && parts.every((p) => p && p !== '..')) return parts.join('/');
    }
    return undefined;
  };

  const found = new Map<string, TaskWorktree>();
  for (const codebase of subfolders(root)) {
    for (const taskId of subfolders(join(root, codebase))) {
      found.set(`${codebase}/${taskId}`, { codebase, taskId, dir: join(root, codebase, taskId), branch: null, missing: false, changes: 0 });
    }
  }

  const reposRead = new Set<string>();
  /** Reads the worktree list of the repository `cwd` is in; false when git cannot. */
  const readRepository = async (cwd: string): Promise<boolean> => {
    const listed = await git(['worktree', 'list', '--porcelain'], cwd);
    if (!listed.ok) return false;
    const records = parseWorktreeList(listed.stdout);
    const main = records[0]?.path;
    if (main === undefined || reposRead.has(main)) return true;
    reposRead.add(main);
    for (const record of records.slice(1)) {
      const key = keyOf(record.path);
      if (key === undefined) continue;
      const [codebase, taskId] = key.split('/') as [string, string];
      const dir = join(root, codebase, taskId);
      const wt = found.get(key) ?? { codebase, taskId, dir, branch: null, missing: !existsSync(dir), changes: 0 };
      wt.repo = main;
      wt.branch = record.branch;
      found.set(key, wt);
    }
    return true;
  };

  for (const c of codebases) await readRepository(c.path);
  for (const wt of found.values()) {
    if (wt.repo !== undefined) continue;
    // Inside a folder that is no worktree, git would find whatever repository encloses the data dir.
    const top = await git(['rev-parse', '--show-toplevel'], wt.dir);
    if (!top.ok || !sameFolder(top.stdout, wt.dir)) {
      wt.problem = top.ok ? 'it is no git worktree' : top.message.split('\n')[0];
      continue;
    }
    if (!(await readRepository(wt.dir)) || wt.repo === undefined) wt.problem = 'git does not list it as a worktree';
  }

  await Promise.all(
    [...found.values()].map(async (wt) => {
      if (wt.repo === undefined || wt.missing) return;
      const status = await git(['status', '--porcelain'], wt.dir);
      if (status.ok) wt.changes = status.stdout ? status.stdout.split('\n').length : 0;
      else wt.problem = status.message.split('\n')[0];
    }),
  );
  return [...found.values()].sort((a, b) => a.codebase.localeCompare(b.codebase) || a.taskId.localeCompare(b.taskId));
}

function sameFolder(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
