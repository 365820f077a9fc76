import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Codebase } from '../../store/codebase-repository';
import type { Outcome } from './codebases';

/** Where a task's worktree was made: the folder git checked out, the agent's cwd in it, and its branch. */
export interface Worktree {
  /** The worktree's top folder, `<root>/<codebase>/<taskId>`. */
  dir: string;
  /** The codebase's folder inside the worktree: `dir` itself, or the same subfolder when the codebase is one of a repository. */
  cwd: string;
  branch: string;
  /** False when an earlier run of the same task made it (a continuation, or a run after a restart). */
  created: boolean;
}

/**
 * What metadata `worktree` asks for: `true`, a new worktree for the task; a name, the existing
 * worktree of that name the host made for this codebase (a Ralph run's); anything else is refused.
 */
export function worktreeWanted(value: unknown): Outcome<boolean | { join: string }> {
  if (value === undefined || value === false) return { ok: true, value: false };
  if (value === true) return { ok: true, value: true };
  if (typeof value === 'string' && safeId.test(value)) return { ok: true, value: { join: value } };
  return { ok: false, error: 'Metadata "worktree" must be true, false, or the name of a worktree this host made for the codebase.' };
}

/** Where the worktree named `name` of `codebase` lives under `root`. */
export function namedWorktreeDir(codebase: string, name: string, root: string): string {
  return join(root, codebase, name);
}

/**
 * The existing worktree `<root>/<codebase>/<name>` (made by Ralph for a run or a story), for a
 * task to work in. Never makes one: a name that is no worktree of the codebase's repository fails.
 */
export async function joinWorktree(codebase: Codebase, name: string, root: string): Promise<Outcome<Worktree>> {
  const dir = namedWorktreeDir(codebase.name, name, root);
  const missing = `No worktree "${name}" of codebase "${codebase.name}" on this machine (${dir}). It is made by the run that names it; run the task on the machine of that run.`;
  if (!existsSync(join(dir, '.git'))) return { ok: false, error: missing };
  const [inRepo, inDir] = await Promise.all([git(['rev-parse', '--show-prefix', '--git-common-dir'], codebase.path), git(['rev-parse', '--git-common-dir', '--abbrev-ref', 'HEAD'], dir)]);
  if (!inRepo.ok || !inDir.ok) return { ok: false, error: missing };
  const [prefix = '', common = ''] = inRepo.stdout.split('\n').length === 2 ? inRepo.stdout.split('\n') : ['', inRepo.stdout];
  const [dirCommon = '', branch = ''] = inDir.stdout.split('\n');
  const sameRepo = realpathOrSelf(isAbsolute(common) ? common : join(codebase.path, common)) === realpathOrSelf(isAbsolute(dirCommon) ? dirCommon : join(dir, dirCommon));
  if (!sameRepo) return { ok: false, error: `${dir} is not a worktree of codebase "${codebase.name}".` };
  return { ok: true, value: { dir, cwd: prefix ? join(dir, prefix) : dir, branch, created: false } };
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The branch a task's worktree is made on. */
export function taskBranch(taskId: string): string {
  return `codetether/${taskId}`;
}

// Task ids are made by the host (UUIDs); anything else is refused rather than put into a path or a ref name.
const safeId = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface GitResult {
  ok: boolean;
  stdout: string;
  /** git's own message, or why git could not run. */
  message: string;
  missing: boolean;
}

/** Runs git in `cwd` (with `env` added to ours); resolves with how it went, never rejects. */
export function git(args: string[], cwd: string, env: Record<string, string> = {}): Promise<GitResult> {
  return new Promise((resolve) => {
    // argv, no shell; no prompt for credentials or an editor in a process nobody watches.
    execFile('git', args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...env }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve({ ok: true, stdout: stdout.trim(), message: '', missing: false });
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      resolve({ ok: false, stdout: stdout.trim(), message: (stderr.trim() || err.message).replace(/\s+$/, ''), missing });
    });
  });
}

/** One `git worktree add` at a time per repository in this process: git's own locks are not meant for racing writers. */
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const tail = next.catch(() => {});
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return next;
}

/**
 * The task's own git worktree of `codebase`, on branch `codetether/<taskId>` from the codebase's
 * HEAD, under `<root>/<codebase>/<taskId>`. Made on the task's first run and reused by every later
 * run of the same task; never removed here: the user reviews and merges the branch.
 */
export async function taskWorktree(codebase: Codebase, taskId: string, root: string): Promise<Outcome<Worktree>> {
  if (!safeId.test(taskId)) return { ok: false, error: `Task id "${taskId}" cannot name a worktree folder or branch.` };
  const dir = join(root, codebase.name, taskId);
  const branch = taskBranch(taskId);
  const notRepo = (detail = '') =>
    `Codebase "${codebase.name}" at ${codebase.path} is not a git repository${detail}; worktree needs one. Run "git init" and commit there, or send the task without metadata "worktree".`;

  const top = await git(['rev-parse', '--show-toplevel', '--show-prefix'], codebase.path);
  if (top.missing) {
    return { ok: false, error: `Cannot make a worktree for codebase "${codebase.name}": git is not installed on the machine that runs it. Install git, or send the task without metadata "worktree".` };
  }
  if (!top.ok) return { ok: false, error: notRepo() };
  // --show-prefix prints an empty line at the top folder, which trim() drops with the line break.
  const [toplevel = '', prefix = ''] = top.stdout.split('\n');
  const cwd = prefix ? join(dir, prefix) : dir;
  // A folder inside a repository that does not track it (a dotfiles repository at HOME, say) is no repository of its own.
  if (prefix && !(await git(['rev-parse', '--verify', '--quiet', `HEAD:${prefix}`], codebase.path)).ok) {
    return { ok: false, error: notRepo(` (it lies inside the repository at ${toplevel}, whose HEAD does not track it)`) };
  }

  return serialized(codebase.path, async () => {
    if (existsSync(join(dir, '.git'))) return { ok: true, value: { dir, cwd, branch, created: false } };
    try {
      mkdirSync(join(root, codebase.name), { recursive: true });
    } catch (err) {
      return { ok: false, error: `Cannot make a worktree for codebase "${codebase.name}": ${(err as Error).message}.` };
    }
    const added = await git(['worktree', 'add', '-b', branch, dir, 'HEAD'], codebase.path);
    if (added.ok) return { ok: true, value: { dir, cwd, branch, created: true } };
    // git's progress line ("Preparing worktree (new branch ...)") says nothing about the failure.
    const why = added.message.split('\n').filter((l) => !l.startsWith('Preparing worktree')).join('\n') || added.message;
    let hint = 'Fix the repository and send the task again, or send it without metadata "worktree".';
    if (/already exists/.test(why)) {
      hint = `Remove what is left of an earlier attempt (git -C ${codebase.path} worktree remove --force ${dir}; git -C ${codebase.path} branch -D ${branch}) and send the task again.`;
    } else if (/invalid reference|not a valid object name|ambiguous argument 'HEAD'/i.test(why)) {
      hint = `The repository has no commit to start the worktree from: commit once in ${codebase.path} and send the task again.`;
    }
    return { ok: false, error: `git worktree add failed for codebase "${codebase.name}" (${codebase.path}): ${why}. ${hint}` };
  });
}
