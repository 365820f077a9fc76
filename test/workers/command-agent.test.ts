import { Role, TaskState, type Task } from '@a2a-js/sdk';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandAgentConfig } from '../../main/base/config-schema';
import { userMessage } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { commandAgentCore, fixtures, statusText } from './support';
import { alive } from '../support/processes';
import { waitFor } from '../support/wait';

const node = (script: string, extra: Partial<CommandAgentConfig> = {}): CommandAgentConfig => ({
  command: process.execPath,
  args: [join(fixtures, script)],
  ...extra,
});

interface Setup {
  agents?: Record<string, CommandAgentConfig>;
  codebases?: string[];
  defaultCodebase?: string;
}

/** A real task core with command agents on a real pty host; codebases through a second connection to the same file. */
function setup(opts: Setup = {}) {
  const dir = tempDir();
  const agents = opts.agents ?? { proto: node('protocol.js'), tree: node('tree.js') };
  const paths: Record<string, string> = {};
  for (const name of opts.codebases ?? ['app']) {
    const path = join(dir, name);
    mkdirSync(path);
    paths[name] = realpathSync(path);
  }
  return { ...commandAgentCore(dir, agents, paths, { defaultCodebase: opts.defaultCodebase }), paths };
}

function text(task: Task, artifactId: string): string {
  const artifact = task.artifacts.find((a) => a.artifactId === artifactId);
  return (artifact?.parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
}

describe('command agent in a pty', () => {
  it('speaks every protocol event: text, plain lines, working, artifacts, final; runs in the codebase with a minimal env', async () => {
    const { tasks, paths } = setup();
    const { task } = await tasks.send({ message: userMessage('all of it', { metadata: { agent: 'proto', codebase: 'app' } }) });
    const done = await tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(statusText(done)).toBe('all done');
    expect(text(done, 'output')).toBe('plain line\nstreamed text\n');
    expect(text(done, 'notes')).toBe('a note');

    const run = done.artifacts.find((a) => a.artifactId === 'run')!.parts[0]!.content as { $case: 'data'; value: Record<string, unknown> };
    const { cwd, env, task: file } = run.value as { cwd: string; env: Record<string, string>; task: Record<string, unknown> };
    expect(cwd).toBe(paths.app);
    expect(Object.keys(env).sort()).toEqual(['CODETETHER_TASK_FILE', 'HOME', 'LANG', 'PATH', 'PWD', 'TERM']);
    expect(env.PWD).toBe(paths.app);
    expect(env.TERM).toBe('xterm-256color');
    expect(file).toMatchObject({ version: 1, taskId: task.id, contextId: task.contextId, prompt: 'all of it', codebase: { name: 'app', path: paths.app } });
    expect(file.metadata).toEqual({ agent: 'proto', codebase: 'app' });

    const events = tasks.eventsAfter(task.id, 0).map((e) => JSON.parse(e.json) as Record<string, { status?: { state: string }; artifact?: { artifactId: string } }>);
    const kinds = events.map((e) => e.statusUpdate?.status?.state ?? e.artifactUpdate?.artifact?.artifactId ?? 'task');
    // The output text may arrive in more than one pty batch, so repeated appends to one artifact count once.
    const order = kinds.filter((k, i) => k.startsWith('TASK_STATE') || k !== kinds[i - 1]);
    expect(order).toEqual(['task', 'TASK_STATE_WORKING', 'output', 'TASK_STATE_WORKING', 'notes', 'run', 'TASK_STATE_COMPLETED']);
    // The task file is removed once the run ends.
    expect(await waitFor(() => !existsSync(env.CODETETHER_TASK_FILE!), 1000)).toBe(true);
  });

  it('answers with a Message before any other output: the task is removed, the exchange stays in the session', async () => {
    const { tasks, db } = setup();
    const { task, watch } = await tasks.send({ message: userMessage('reply fast', { metadata: { agent: 'proto' } }) }, { watch: true });
    const answer = await watch!.settled();
    expect(answer).toMatchObject({ role: Role.ROLE_AGENT, contextId: task.contextId, taskId: '', parts: [{ content: { $case: 'text', value: 'quick answer to fast' } }] });
    expect(tasks.list({ contextId: task.contextId }).tasks).toEqual([]);
    expect(() => tasks.get(task.id)).toThrow(/does not exist/);
    const rows = db.prepare('SELECT role, task_id, body_json FROM messages WHERE context_id = ? ORDER BY seq').all(task.contextId) as { role: string; task_id: string | null; body_json: string }[];
    expect(rows.map((r) => [r.role, r.task_id])).toEqual([['user', null], ['agent', null]]);
    expect(JSON.parse(rows[1]!.body_json)).toMatchObject({ role: 'ROLE_AGENT', parts: [{ text: 'quick answer to fast' }] });
  });

  it('a message after other output completes the task with it instead', async () => {
    const { tasks } = setup();
    const { task } = await tasks.send({ message: userMessage('late', { metadata: { agent: 'proto' } }) });
    const done = await tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(statusText(done)).toBe('too late to be a message');
    expect(text(done, 'output')).toBe('thinking aloud\n');
  });

  it('rejects a task', async () => {
    const { tasks } = setup();
    const { task } = await tasks.send({ message: userMessage('reject', { metadata: { agent: 'proto' } }) });
    const done = await tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_REJECTED);
    expect(statusText(done)).toBe('not something I do');
  });

  it('asks for authorization, then goes on like after input-required', async () => {
    const { tasks } = setup();
    const { task } = await tasks.send({ message: userMessage('login', { metadata: { agent: 'proto' } }) });
    const waiting = await tasks.settled(task.id);
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_AUTH_REQUIRED);
    expect(statusText(waiting)).toMatch(/^Sign in at/);
    await tasks.send({ message: userMessage('done it', { taskId: task.id, contextId: task.contextId }) });
    const done = await tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(statusText(done)).toBe('signed in: done it');
  });

  it('asks for input, then continues with the whole history when the client answers', async () => {
    const { tasks } = setup();
    const { task } = await tasks.send({ message: userMessage('ask me', { metadata: { agent: 'proto' } }) });
    const waiting = await tasks.settled(task.id);
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(statusText(waiting)).toBe('What is your name?');

    await tasks.send({ message: userMessage('Ada', { taskId: task.id, contextId: task.contextId }) });
    const done = await tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(statusText(done)).toBe('hello Ada');
    expect(text(done, 'output')).toBe('history user:ask me|agent:What is your name?|user:Ada\n');
  });

  it('passes plain output through without terminal escapes and completes on exit code 0', async () => {
    const { tasks } = setup();
    const { task } = await tasks.send({ message: userMessage('plain 500', { metadata: { agent: 'proto' } }) });
    const done = await tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const lines = text(done, 'output').split('\n').filter(Boolean);
    expect(lines).toEqual(Array.from({ length: 500 }, (_, i) => `plain ${i + 1}`));
    // Batched: far fewer artifact events than lines.
    expect(tasks.eventsAfter(task.id, 0).length).toBeLessThan(100);
  });

  it('fails on a non-zero exit with the last output, and on a failed status with its message', async () => {
    const { tasks } = setup();
    const a = (await tasks.send({ message: userMessage('exit 3', { metadata: { agent: 'proto' } }) })).task;
    const failed = await tasks.settled(a.id);
    expect(failed.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(failed)).toBe('Agent "proto" exited with code 3. Last output:\nabout to fail\n{"type":"bogus"}');

    const b = (await tasks.send({ message: userMessage('failed', { metadata: { agent: 'proto' } }) })).task;
    const broken = await tasks.settled(b.id);
    expect(broken.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(broken)).toBe('the build is broken');
  });

  it('fails fast, saying what to install, when the binary is missing', async () => {
    const { tasks } = setup({ agents: { ghost: { command: 'no-such-agent-cli', args: [] }, abs: { command: '/nope/agent', args: [] } } });
    const started = Date.now();
    const a = await tasks.settled((await tasks.send({ message: userMessage('hi', { metadata: { agent: 'ghost' } }) })).task.id);
    expect(a.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(a)).toBe('Agent "ghost" cannot start: "no-such-agent-cli" was not found on the agent\'s PATH. Install it, or set "agents.ghost.command" in the config to the absolute path of the executable.');
    const b = await tasks.settled((await tasks.send({ message: userMessage('hi', { metadata: { agent: 'abs' } }) })).task.id);
    expect(statusText(b)).toContain('"/nope/agent" is not an executable file');
    // Fast means no spawn and no wait on a process: bounded loosely, as the test machine may be busy.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('picks the codebase from metadata, a default, or the only one; and says how to register one when there is none', async () => {
    const none = setup({ codebases: [] });
    const t0 = await none.tasks.settled((await none.tasks.send({ message: userMessage('all', { metadata: { agent: 'proto' } }) })).task.id);
    expect(t0.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(t0)).toBe('No codebase is registered, and the agent needs one to work in. Register a folder with: codetether codebase add NAME PATH');

    const two = setup({ codebases: ['one', 'two'] });
    const t1 = await two.tasks.settled((await two.tasks.send({ message: userMessage('all', { metadata: { agent: 'proto' } }) })).task.id);
    expect(statusText(t1)).toContain('Several codebases are registered (one, two)');
    const t2 = await two.tasks.settled((await two.tasks.send({ message: userMessage('all', { metadata: { agent: 'proto', codebase: '/etc' } }) })).task.id);
    expect(statusText(t2)).toBe('No codebase named "/etc" is registered. Registered codebases: one, two.');
    const t3 = await two.tasks.settled((await two.tasks.send({ message: userMessage('all', { metadata: { agent: 'proto', codebase: 'two' } }) })).task.id);
    const run = t3.artifacts.find((a) => a.artifactId === 'run')!.parts[0]!.content as { value: { cwd: string } };
    expect(run.value.cwd).toBe(two.paths.two);

    const preset = setup({ codebases: ['one', 'two'], defaultCodebase: 'one' });
    const t4 = await preset.tasks.settled((await preset.tasks.send({ message: userMessage('all', { metadata: { agent: 'proto' } }) })).task.id);
    expect((t4.artifacts.find((a) => a.artifactId === 'run')!.parts[0]!.content as { value: { cwd: string } }).value.cwd).toBe(preset.paths.one);
  });

  it('cancel kills the agent and its grandchild within 2 s', async () => {
    const { tasks } = setup();
    const { task } = await tasks.send({ message: userMessage('x', { metadata: { agent: 'tree' } }) });
    let pids: number[] = [];
    expect(
      await waitFor(() => {
        const m = /pids (\d+) (\d+)/.exec(text(tasks.get(task.id), 'output'));
        pids = m ? [Number(m[1]), Number(m[2])] : [];
        return pids.length === 2;
      }, 10_000),
    ).toBe(true);
    expect(pids.every(alive)).toBe(true);
    const started = Date.now();
    expect((await tasks.cancel(task.id)).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect(await waitFor(() => !pids.some(alive), 2000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails a running task with a clear reason when the pty host dies', async () => {
    const { tasks, ptyHost } = setup();
    const { task } = await tasks.send({ message: userMessage('x', { metadata: { agent: 'tree' } }) });
    expect(await waitFor(() => /pids/.test(text(tasks.get(task.id), 'output')), 10_000)).toBe(true);
    process.kill(ptyHost.pid!, 'SIGKILL');
    const done = await tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(done)).toBe('Agent "tree" stopped: The pty host process was killed by SIGKILL while the agent was running.');
  });
});
