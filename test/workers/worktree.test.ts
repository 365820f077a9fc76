import { TaskState, type Task } from '@a2a-js/sdk';
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskWorktree } from '../../main/workers/workspace/worktrees';
import { git, makeFolder } from '../support/git-repo';
import { userMessage } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { commandAgentCore, fixtures, statusText } from './support';

/** A real task core with the worktree command agent on a real pty host; worktrees under `<dir>/data/worktrees`. */
function setup(codebases: Record<string, { folder: string; git?: boolean; commits?: number }>) {
  const dir = tempDir();
  const agents = { wt: { command: process.execPath, args: [join(fixtures, 'worktree.js')] } };
  const paths: Record<string, string> = {};
  for (const [name, c] of Object.entries(codebases)) {
    const root = join(dir, c.folder.split('/')[0]!);
    if (!existsSync(root)) makeFolder(root, c);
    mkdirSync(join(dir, c.folder), { recursive: true });
    paths[name] = realpathSync(join(dir, c.folder));
  }
  const worktreesDir = join(dir, 'data', 'worktrees');
  return { tasks: commandAgentCore(dir, agents, paths, { worktreesDir }).tasks, paths, worktreesDir };
}

const meta = (codebase: string, extra: Record<string, unknown> = { worktree: true }) => ({ metadata: { agent: 'wt', codebase, ...extra } });

function artifactText(task: Task, id: string): string {
  const artifact = task.artifacts.find((a) => a.artifactId === id);
  return (artifact?.parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
}

interface Where {
  cwd: string;
  pwd: string;
  codebase: { name: string; path: string };
  files: string[];
}
function where(task: Task): Where {
  const part = task.artifacts.find((a) => a.artifactId === 'where')!.parts[0]!.content as { $case: 'data'; value: Where };
  return part.value;
}

describe('tasks in a git worktree (metadata worktree: true)', () => {
  it('runs the agent in a fresh worktree on branch codetether/<taskId>, leaves the repository untouched, and keeps both', async () => {
    const { tasks, paths, worktreesDir } = setup({ app: { folder: 'repo' } });
    const { task } = await tasks.send({ message: userMessage('write', meta('app')) });
    const done = await tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    const dir = join(worktreesDir, 'app', task.id);
    const seen = where(done);
    expect(realpathSync(seen.cwd)).toBe(realpathSync(dir));
    expect(seen.pwd).toBe(dir);
    expect(seen.codebase).toEqual({ name: 'app', path: dir });
    expect(seen.files).toEqual(['.git', 'README.md', 'run-1.txt', 'sub']);
    expect(readFileSync(join(dir, 'run-1.txt'), 'utf8')).toBe(`${task.id}\n`);
    expect(existsSync(join(paths.app!, 'run-1.txt'))).toBe(false);
    expect(git(paths.app!, 'status', '--porcelain')).toBe('');

    // Kept after the task: the branch from the repository's HEAD and the worktree, for the user to review.
    expect(git(paths.app!, 'branch', '--list', `codetether/${task.id}`)).toContain(`codetether/${task.id}`);
    expect(git(paths.app!, 'rev-parse', `codetether/${task.id}`)).toBe(git(paths.app!, 'rev-parse', 'HEAD'));
    expect(git(paths.app!, 'worktree', 'list', '--porcelain')).toContain(`worktree ${dir}`);
    expect(git(dir, 'status', '--porcelain')).toBe('?? run-1.txt');

    expect(artifactText(done, 'worktree')).toBe(`worked in worktree ${dir} on branch codetether/${task.id}`);
    const statuses = tasks
      .eventsAfter(task.id, 0)
      .map((e) => JSON.parse(e.json) as { statusUpdate?: { metadata?: Record<string, unknown> } })
      .flatMap((e) => (e.statusUpdate?.metadata?.worktree ? [e.statusUpdate.metadata.worktree] : []));
    expect(statuses).toEqual([{ path: dir, branch: `codetether/${task.id}` }]);
  });

  it('gives two concurrent tasks on one repository two worktrees', async () => {
    const { tasks, paths, worktreesDir } = setup({ app: { folder: 'repo' } });
    const sent = await Promise.all([tasks.send({ message: userMessage('slow', meta('app')) }), tasks.send({ message: userMessage('slow', meta('app')) })]);
    const done = await Promise.all(sent.map(({ task }) => tasks.settled(task.id)));
    expect(done.map((t) => t.status?.state)).toEqual([TaskState.TASK_STATE_COMPLETED, TaskState.TASK_STATE_COMPLETED]);
    const dirs = done.map((t) => join(worktreesDir, 'app', t.id));
    expect(dirs[0]).not.toBe(dirs[1]);
    done.forEach((t, i) => {
      expect(where(t).cwd).toBe(dirs[i]);
      expect(readFileSync(join(dirs[i]!, 'run-1.txt'), 'utf8')).toBe(`${t.id}\n`);
    });
    expect(existsSync(join(paths.app!, 'run-1.txt'))).toBe(false);
    const branches = git(paths.app!, 'branch', '--list', 'codetether/*');
    for (const t of done) expect(branches).toContain(`codetether/${t.id}`);
  });

  it('reuses the task\'s worktree when it continues after input-required', async () => {
    const { tasks, worktreesDir } = setup({ app: { folder: 'repo' } });
    const { task } = await tasks.send({ message: userMessage('ask', meta('app')) });
    const waiting = await tasks.settled(task.id);
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const dir = join(worktreesDir, 'app', task.id);
    expect(where(waiting).cwd).toBe(dir);

    // The answer carries no metadata: the worktree is the task's, from the message that created it.
    await tasks.send({ message: userMessage('yes', { taskId: task.id, contextId: task.contextId }) });
    const done = await tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(where(done).cwd).toBe(dir);
    expect(where(done).files).toEqual(['.git', 'README.md', 'run-1.txt', 'run-2.txt', 'sub']);
    expect(done.artifacts.filter((a) => a.artifactId === 'worktree')).toHaveLength(1);
  });

  it('runs a codebase that is a subfolder of a repository in the same subfolder of the worktree', async () => {
    const { tasks, worktreesDir } = setup({ lib: { folder: 'repo/sub' } });
    const done = await tasks.settled((await tasks.send({ message: userMessage('write', meta('lib')) })).task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const dir = join(worktreesDir, 'lib', done.id);
    expect(where(done).cwd).toBe(join(dir, 'sub'));
    expect(existsSync(join(dir, 'sub', 'run-1.txt'))).toBe(true);
    expect(artifactText(done, 'worktree')).toBe(`worked in worktree ${dir} on branch codetether/${done.id}`);
  });

  it('refuses a folder that lies inside a repository which does not track it', async () => {
    const { tasks, paths } = setup({ app: { folder: 'repo' }, stray: { folder: 'repo/untracked' } });
    const top = paths.app!;
    const t = await tasks.settled((await tasks.send({ message: userMessage('write', meta('stray')) })).task.id);
    expect(t.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(t)).toBe(
      `Codebase "stray" at ${paths.stray} is not a git repository (it lies inside the repository at ${top}, whose HEAD does not track it); worktree needs one. Run "git init" and commit there, or send the task without metadata "worktree".`,
    );
    expect(git(top, 'branch', '--list', 'codetether/*')).toBe('');
  });

  it('fails clearly, never falling back to the folder, when the codebase is no repository, has no commit, or the metadata is bad', async () => {
    const { tasks, paths, worktreesDir } = setup({ plain: { folder: 'plain', git: false }, empty: { folder: 'empty', commits: 0 } });
    const a = await tasks.settled((await tasks.send({ message: userMessage('write', meta('plain')) })).task.id);
    expect(a.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(a)).toBe(
      `Codebase "plain" at ${paths.plain} is not a git repository; worktree needs one. Run "git init" and commit there, or send the task without metadata "worktree".`,
    );
    expect(existsSync(join(paths.plain!, 'run-1.txt'))).toBe(false);

    const b = await tasks.settled((await tasks.send({ message: userMessage('write', meta('empty')) })).task.id);
    expect(b.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    // git's own words vary by version ("not a valid object name: 'HEAD'", "invalid reference: HEAD").
    expect(statusText(b)).toMatch(/^git worktree add failed for codebase "empty" \(.*\): fatal: [^\n]*HEAD[^\n]*\. The repository has no commit/);
    expect(statusText(b)).toContain(`(${paths.empty})`);
    expect(statusText(b)).toContain(`commit once in ${paths.empty} and send the task again.`);
    expect(existsSync(join(worktreesDir, 'empty', b.id))).toBe(false);

    const c = await tasks.settled((await tasks.send({ message: userMessage('write', meta('plain', { worktree: 1 })) })).task.id);
    expect(statusText(c)).toBe('Metadata "worktree" must be true, false, or the name of a worktree this host made for the codebase.');
    // A name joins a worktree the host made (a Ralph run's); one that does not exist is refused, never made.
    const named = await tasks.settled((await tasks.send({ message: userMessage('write', meta('plain', { worktree: 'nothing-here' })) })).task.id);
    expect(statusText(named)).toContain('No worktree "nothing-here" of codebase "plain" on this machine');

    // Without the metadata, the agent runs in the folder itself as before.
    const d = await tasks.settled((await tasks.send({ message: userMessage('write', meta('plain', {})) })).task.id);
    expect(d.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(where(d).cwd).toBe(paths.plain);
  });
});

describe('taskWorktree', () => {
  const codebaseAt = (path: string) => ({ name: 'app', path, defaultAgent: null, allowedAgents: [], createdAt: 0 });

  it('fails with git\'s message and what to do when the branch already exists', async () => {
    const dir = tempDir();
    const repo = makeFolder(join(dir, 'repo'));
    git(repo, 'branch', 'codetether/t1');
    const r = await taskWorktree(codebaseAt(repo), 't1', join(dir, 'wt'));
    expect(r.ok).toBe(false);
    const error = r.ok ? '' : r.error;
    expect(error).toMatch(/^git worktree add failed for codebase "app" \(.*\): fatal: a branch named 'codetether\/t1' already exists\. /);
    expect(error).toContain(`git -C ${repo} branch -D codetether/t1`);
    expect(existsSync(join(dir, 'wt', 'app', 't1'))).toBe(false);
  });

  it('says to install git when it is not on PATH, and refuses a task id that is no plain name', async () => {
    const dir = tempDir();
    const repo = makeFolder(join(dir, 'repo'));
    const saved = process.env.PATH;
    process.env.PATH = join(dir, 'empty-bin');
    try {
      const r = await taskWorktree(codebaseAt(repo), 't1', join(dir, 'wt'));
      expect(r).toEqual({ ok: false, error: expect.stringMatching(/^Cannot make a worktree for codebase "app": git is not installed on the machine that runs it\. Install git/) });
    } finally {
      process.env.PATH = saved;
    }
    expect(await taskWorktree(codebaseAt(repo), '../x', join(dir, 'wt'))).toEqual({ ok: false, error: 'Task id "../x" cannot name a worktree folder or branch.' });
  });
});
