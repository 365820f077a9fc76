import { TaskState } from '@a2a-js/sdk';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../main/cli/main';
import { taskWorktree } from '../../main/workers/workspace/worktrees';
import { git, makeFolder } from '../support/git-repo';
import { userMessage } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { commandAgentCore, fixtures } from '../workers/support';
import { waitFor } from '../support/wait';

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['worktree', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/**
 * A real task core whose data dir is `dir`, with the worktree agent on codebase "app" (a repository
 * with one commit); `run` sends a prompt with metadata worktree: true and waits for the task to settle.
 */
function setup() {
  const dir = tempDir();
  const repo = makeFolder(join(dir, 'repo'));
  const agents = { wt: { command: process.execPath, args: [join(fixtures, 'worktree.js')] } };
  const root = join(dir, 'worktrees');
  const { tasks, codebases, db } = commandAgentCore(dir, agents, { app: repo }, { worktreesDir: root });
  const send = async (prompt: string) => (await tasks.send({ message: userMessage(prompt, { metadata: { agent: 'wt', codebase: 'app', worktree: true } }) })).task.id;
  const run = async (prompt: string) => {
    const done = await tasks.settled(await send(prompt));
    return { id: done.id, state: done.status?.state, wt: join(root, 'app', done.id) };
  };
  const branches = () => git(repo, 'branch', '--list', 'codetether/*');
  return { dir, repo, root, tasks, codebases, db, send, run, branches, data: ['--data-dir', dir] };
}

/** The fixture leaves run-1.txt untracked in the worktree; without it the worktree is clean. */
const clean = (wt: string) => rmSync(join(wt, 'run-1.txt'));
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('codetether worktree list', () => {
  it('says where it looked when there are none, then shows each worktree with its task state and changes', async () => {
    const s = setup();
    const empty = await cli('list', ...s.data);
    expect(empty).toEqual({ code: 0, stdout: '', stderr: `No task worktrees in ${s.root}.` });

    const dirty = await s.run('write');
    const tidy = await s.run('write');
    clean(tidy.wt);
    const asking = await s.run('ask');
    expect(asking.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const stray = await taskWorktree(s.codebases.get('app')!, 'stray-1', s.root);
    expect(stray.ok).toBe(true);

    const listed = await cli('list', ...s.data);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.split('\n');
    expect(lines[0]).toMatch(/^CODEBASE\s+TASK\s+BRANCH\s+TASK STATE\s+WORKTREE$/);
    const row = (id: string) => lines.find((l) => l.includes(` ${id} `))?.split(/\s{2,}/);
    expect(row(dirty.id)).toEqual(['app', dirty.id, `codetether/${dirty.id}`, 'completed', 'uncommitted changes (1)']);
    expect(row(tidy.id)).toEqual(['app', tidy.id, `codetether/${tidy.id}`, 'completed', 'clean']);
    expect(row(asking.id)).toEqual(['app', asking.id, `codetether/${asking.id}`, 'input-required', 'uncommitted changes (1)']);
    expect(row('stray-1')).toEqual(['app', 'stray-1', 'codetether/stray-1', 'unknown task', 'clean']);
    expect(lines).toHaveLength(5);

    // A folder deleted by hand is still one git records; a codebase no longer registered is found
    // from its folders, and with them what git records of the repository's other worktrees.
    rmSync(tidy.wt, { recursive: true });
    const afterDelete = (await cli('list', ...s.data)).stdout;
    expect(afterDelete).toMatch(new RegExp(`${tidy.id}\\s+codetether/${tidy.id}\\s+completed\\s+folder deleted`));
    s.codebases.remove('app');
    expect((await cli('list', ...s.data)).stdout).toBe(afterDelete);
  });
});

describe('codetether worktree remove', () => {
  it('removes the worktree and branch of a completed clean task, also with its folder deleted by hand or its codebase unregistered', async () => {
    const s = setup();
    const a = await s.run('write');
    clean(a.wt);
    const removed = await cli('remove', a.id, ...s.data);
    expect(removed).toEqual({ code: 0, stdout: '', stderr: `Removed worktree ${a.wt} and branch codetether/${a.id}.` });
    expect(existsSync(a.wt)).toBe(false);
    expect(s.branches()).not.toContain(a.id);
    expect(git(s.repo, 'worktree', 'list')).not.toContain(a.id);

    const b = await s.run('write');
    rmSync(b.wt, { recursive: true });
    expect((await cli('remove', b.id, ...s.data)).code).toBe(0);
    expect(s.branches()).not.toContain(b.id);
    expect(git(s.repo, 'worktree', 'list')).not.toContain(b.id);

    const c = await s.run('write');
    clean(c.wt);
    s.codebases.remove('app');
    expect((await cli('remove', c.id, ...s.data)).code).toBe(0);
    expect(existsSync(c.wt)).toBe(false);
    expect(s.branches()).toBe('');
  });

  it('refuses a working task even with --force, and uncommitted changes, an unmerged branch or a waiting task without it', async () => {
    const s = setup();
    const working = await s.send('wait');
    const workingDir = join(s.root, 'app', working);
    expect(await waitFor(() => existsSync(join(workingDir, 'run-1.txt')), 10_000)).toBe(true);
    await s.tasks.durable();
    for (const force of [[], ['--force']]) {
      const r = await cli('remove', working, ...force, ...s.data);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `codetether worktree: Task ${working} is working: its agent may be working in ${workingDir}. Wait for the task to end or cancel it, then remove the worktree.`,
      );
    }
    expect(existsSync(workingDir)).toBe(true);
    await s.tasks.cancel(working);

    const dirty = await s.run('write');
    const refused = await cli('remove', dirty.id, ...s.data);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `codetether worktree: Worktree ${dirty.wt} has uncommitted changes (1 file). Commit them to keep them, or add --force to discard them.`,
    );
    expect(existsSync(dirty.wt)).toBe(true);
    expect((await cli('remove', dirty.id, '--force', ...s.data)).code).toBe(0);
    expect(existsSync(dirty.wt)).toBe(false);
    expect(s.branches()).not.toContain(dirty.id);

    const ahead = await s.run('write');
    git(ahead.wt, 'add', '.');
    git(ahead.wt, 'commit', '-q', '-m', 'work');
    const unmerged = await cli('remove', ahead.id, ...s.data);
    expect(unmerged.code).toBe(1);
    expect(unmerged.stderr).toBe(
      `codetether worktree: Branch codetether/${ahead.id} has commits that HEAD of ${s.repo} does not. Merge it (git -C ${s.repo} merge codetether/${ahead.id}), or add --force to delete it anyway.`,
    );
    git(s.repo, 'merge', '-q', '--ff-only', `codetether/${ahead.id}`);
    expect((await cli('remove', ahead.id, ...s.data)).code).toBe(0);
    expect(s.branches()).not.toContain(ahead.id);

    const asking = await s.run('ask');
    clean(asking.wt);
    const waiting = await cli('remove', asking.id, ...s.data);
    expect(waiting.stderr).toBe(
      `codetether worktree: Task ${asking.id} is input-required, and an answer would continue it in this worktree. Add --force to remove the worktree anyway.`,
    );
    expect((await cli('remove', asking.id, '--force', ...s.data)).code).toBe(0);
  });

  it('says so in one line for a task id without a worktree, a folder git cannot read and an unknown task, and prints usage without an id', async () => {
    const s = setup();
    for (const id of ['nope', '../x']) {
      const r = await cli('remove', id, ...s.data);
      expect(r).toEqual({ code: 1, stdout: '', stderr: `codetether worktree: No worktree of task "${id}" under ${s.root}. "codetether worktree list" shows them.` });
    }
    // A folder there that is no worktree, and a worktree of no task this host knows.
    mkdirSync(join(s.root, 'app', 'bogus'), { recursive: true });
    expect((await cli('list', ...s.data)).stdout.split('\n')[1]).toMatch(/^app\s+bogus\s+-\s+unknown task\s+unreadable by git$/);
    const bogus = await cli('remove', 'bogus', '--force', ...s.data);
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toMatch(new RegExp(`^codetether worktree: ${join(s.root, 'app', 'bogus')} is not a worktree git can read \\(fatal: not a git repository.*\\)\\. Delete the folder by hand if you no longer need it\\.$`));
    expect((await taskWorktree(s.codebases.get('app')!, 'stray-1', s.root)).ok).toBe(true);
    const stray = await cli('remove', 'stray-1', ...s.data);
    expect(stray.stderr).toBe('codetether worktree: Task stray-1 is not in this host\'s database, so whether it still runs is unknown. Add --force to remove the worktree anyway.');
    expect((await cli('remove', 'stray-1', '--force', ...s.data)).code).toBe(0);

    const none = await cli('remove', ...s.data);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^codetether worktree: remove takes exactly one task id\.\n\ncodetether worktree <list\|remove\|prune>/);
  });
});

describe('codetether worktree prune', () => {
  it('removes only the clean worktrees of tasks that ended long enough ago, keeps an unmerged branch, and says why it kept the rest', async () => {
    const s = setup();
    const old = await s.run('write');
    clean(old.wt);
    const dirty = await s.run('write');
    const ahead = await s.run('write');
    git(ahead.wt, 'add', '.');
    git(ahead.wt, 'commit', '-q', '-m', 'work');
    const asking = await s.run('ask');
    clean(asking.wt);
    expect((await taskWorktree(s.codebases.get('app')!, 'stray-1', s.root)).ok).toBe(true);
    // These ended two hours ago as far as the store knows: no sleep, and no race with a CLI
    // start on a loaded machine, separates them from the young one.
    s.db.prepare('UPDATE tasks SET updated_at = updated_at - 7200000 WHERE id IN (?, ?, ?)').run(old.id, dirty.id, ahead.id);
    const young = await s.run('write');
    clean(young.wt);

    const expected = (verb: 'removed' | 'would remove', branch: 'deleted' | 'would delete', kept: 'kept' | 'would keep') =>
      [
        `${verb} app/${old.id}: ${branch} branch codetether/${old.id}`,
        `kept app/${dirty.id}: uncommitted changes (1 file)`,
        `${verb} app/${ahead.id}: ${kept} branch codetether/${ahead.id}: HEAD of ${s.repo} has not merged it`,
        `kept app/${asking.id}: task is input-required`,
        `kept app/stray-1: unknown task`,
      ].sort();
    /** The lines but the young task's, sorted, after checking that one. */
    const report = (text: string) => {
      const lines = text.split('\n');
      expect(lines.filter((l) => l.includes(young.id))).toEqual([expect.stringMatching(new RegExp(`^kept app/${young.id}: task ended \\d+s ago, less than 1h$`))]);
      return lines.filter((l) => !l.includes(young.id)).sort();
    };

    const dry = await cli('prune', '--older-than', '1h', '--dry-run', ...s.data);
    expect(dry.code).toBe(0);
    expect(report(dry.stdout)).toEqual(expected('would remove', 'would delete', 'would keep'));
    expect(dry.stderr).toBe('Would remove 2 of 6 task worktrees (ended over 1h ago and clean).');
    expect(existsSync(old.wt)).toBe(true);
    expect(s.branches()).toContain(old.id);

    const pruned = await cli('prune', '--older-than', '1h', ...s.data);
    expect(pruned.code).toBe(0);
    expect(report(pruned.stdout)).toEqual(expected('removed', 'deleted', 'kept'));
    expect([old, ahead].map((t) => existsSync(t.wt))).toEqual([false, false]);
    expect([dirty, asking, young].map((t) => existsSync(t.wt))).toEqual([true, true, true]);
    const left = s.branches();
    expect(left).not.toContain(old.id);
    for (const t of [dirty, ahead, asking, young]) expect(left).toContain(t.id);

    // The default age keeps everything these tests make.
    const byDefault = await cli('prune', ...s.data);
    expect(byDefault.stdout).toMatch(new RegExp(`^kept app/${young.id}: task ended \\d+s ago, less than 7d$`, 'm'));
  });

  it('refuses a bad --older-than with one line and the usage, no stack', async () => {
    const s = setup();
    for (const bad of ['7', 'soon', '0d', '1y']) {
      const r = await cli('prune', '--older-than', bad, ...s.data);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`codetether worktree: --older-than takes a number and a unit s, m, h, d or w, such as 7d; not "${bad}".`);
      noStack(r.stderr);
    }
    const unknown = await cli('tidy', ...s.data);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^codetether worktree: unknown subcommand "tidy"\./);
  });
});
