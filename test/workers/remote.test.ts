import { TaskState, type Task } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { request, startRpcHost } from '../a2a/support';
import { startTestHost } from '../support/host';
import { userMessage } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { appDir, connected, spawnWorker, token, workerConfig } from './remote-support';
import { waitFor } from '../support/wait';

function output(task: Task): string[] {
  const artifact = task.artifacts.find((a) => a.artifactId === 'output');
  const text = (artifact?.parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
  return text.split('\n').filter(Boolean);
}

function statusTexts(events: { json: string }[]): string[] {
  return events.flatMap((e) => {
    const parsed = JSON.parse(e.json) as { statusUpdate?: { status?: { message?: { parts?: { text?: string }[] } } } };
    const text = parsed.statusUpdate?.status?.message?.parts?.[0]?.text;
    return text ? [text] : [];
  });
}

describe('remote worker', () => {
  it('runs a task for its codebase, sent over A2A, with its own agent in its own folder', async () => {
    const { host, client } = await startRpcHost({ mcpPort: 0 });
    const w = spawnWorker(['--server', host.urls.a2a.replace('/a2a', ''), '--token', token(host, ['worker']), '--codebase', `app=${appDir()}`, '--agents', 'paced', '--config', workerConfig()]);
    await connected(w);
    const task = (await client.sendMessage(request('lines 5 10', { metadata: { agent: 'paced', codebase: 'app' } }))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const lines = output(task);
    expect(lines).toHaveLength(5);
    expect(lines.map((l) => l.split(' ').slice(1).join(' '))).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    // The claim is in the event log, naming the worker.
    const claimed = host.tasks.eventsAfter(task.id, 0).some((e) => e.json.includes('"worker"'));
    expect(claimed).toBe(true);
  });

  it('requeues the task of a SIGKILLed worker once its lease lapses; a second worker finishes it, output kept once', async () => {
    const { host } = await startRpcHost({ mcpPort: 0, workerLeaseMs: 600, maxAttempts: 3 });
    const server = new URL(host.urls.a2a).origin;
    const args = ['--server', server, '--token', token(host, ['worker']), '--codebase', `app=${appDir()}`, '--agents', 'paced', '--config', workerConfig(), '--log-level', 'warn'];
    const first = spawnWorker(args);
    await connected(first);
    const { task } = await host.tasks.send({ message: userMessage('lines 30 40', { metadata: { agent: 'paced', codebase: 'app' } }) });
    await waitFor(() => output(host.tasks.get(task.id)).length >= 4, 10_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const before = output(host.tasks.get(task.id));

    const second = spawnWorker(args);
    await connected(second);
    const done = await host.tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    const lines = output(done);
    expect(new Set(lines).size).toBe(lines.length);
    const pids = [...new Set(lines.map((l) => l.split(' ')[0]))];
    expect(pids).toHaveLength(2);
    const [firstRun, secondRun] = pids.map((pid) => lines.filter((l) => l.startsWith(`${pid} `)).map((l) => Number(l.split(' ')[2])));
    // The first run's lines, as far as they were reported, in order and each once; then the whole second run.
    expect(firstRun).toEqual(Array.from({ length: firstRun!.length }, (_, i) => i + 1));
    expect(firstRun!.length).toBeGreaterThanOrEqual(before.length);
    expect(secondRun).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(lines.slice(0, before.length)).toEqual(before);

    const notes = statusTexts(host.tasks.eventsAfter(task.id, 0));
    expect(notes.some((n) => /^worker \S+ \(\S+\) stopped heartbeating; requeued \(attempt 2 of 3\)$/.test(n))).toBe(true);
    const audit = host.audit.query({ subject: task.id, actor: 'reaper' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'reaper', action: 'task.requeued', detail: { attempt: 1, maxAttempts: 3 } });
  });

  it('requeues the task of a SIGKILLed worker three heartbeats after its claim connection drops, not after the whole 30 s lease', async () => {
    // The default lease (30 s): only the dropped claim may make the requeue come sooner.
    const { host } = await startRpcHost({ mcpPort: 0, maxAttempts: 3 });
    const args = ['--server', new URL(host.urls.a2a).origin, '--token', token(host, ['worker']), '--codebase', `app=${appDir()}`, '--agents', 'paced', '--config', workerConfig(), '--log-level', 'warn'];
    // Concurrency 2 with one task running: the worker keeps a claim open for a second one.
    const w = spawnWorker([...args, '--concurrency', '2']);
    await connected(w);
    const { task } = await host.tasks.send({ message: userMessage('lines 60 50', { metadata: { agent: 'paced', codebase: 'app' } }) });
    await waitFor(() => output(host.tasks.get(task.id)).length >= 2, 10_000, "the first lines");
    const killedAt = Date.now();
    w.child.kill('SIGKILL');
    await w.exited;
    await waitFor(() => statusTexts(host.tasks.eventsAfter(task.id, 0)).some((n) => n.includes("requeued (attempt 2 of 3)")), 8_000, "the requeue");
    const requeueMs = Date.now() - killedAt;
    console.log(`worker SIGKILL -> task requeued: ${requeueMs} ms (lease 30000 ms, heartbeat 1000 ms)`);
    expect(requeueMs).toBeLessThan(5_000);
    expect(host.tasks.get(task.id).status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);

    const second = spawnWorker(args);
    await connected(second);
    expect((await host.tasks.settled(task.id)).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it('fails the task with the reason once it has had maxAttempts runs', async () => {
    const { host } = await startRpcHost({ mcpPort: 0, workerLeaseMs: 400, maxAttempts: 1 });
    const w = spawnWorker(['--server', new URL(host.urls.a2a).origin, '--token', token(host, ['worker']), '--codebase', `app=${appDir()}`, '--config', workerConfig(), '--log-level', 'warn']);
    await connected(w);
    const { task } = await host.tasks.send({ message: userMessage('lines 100 50', { metadata: { agent: 'paced', codebase: 'app' } }) });
    await waitFor(() => output(host.tasks.get(task.id)).length >= 1, 10_000);
    w.child.kill('SIGKILL');
    const done = await host.tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    const reason = done.status?.message?.parts[0]?.content;
    expect(reason).toMatchObject({ $case: 'text' });
    expect((reason as { value: string }).value).toMatch(/stopped heartbeating; failed after 1 of 1 attempts$/);
    expect(host.audit.query({ subject: task.id, actor: 'reaper' })[0]).toMatchObject({ action: 'task.failed' });
  });

  it('needs a token with the worker scope on loopback too: none 401, a2a-only 403; the CLI says so and exits 1', async () => {
    const { host } = await startRpcHost({ mcpPort: 0 });
    const origin = new URL(host.urls.a2a).origin;
    const body = JSON.stringify({ workerId: 'w1', name: 'w', codebases: ['app'], agents: ['paced'], concurrency: 1 });
    const post = (headers: Record<string, string>) => fetch(`${origin}/workers/register`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Bearer ${token(host, ['a2a'])}` })).status).toBe(403);
    expect((await post({ authorization: `Bearer ${token(host, ['worker'])}` })).status).toBe(200);

    const base = ['--codebase', `app=${appDir()}`, '--config', workerConfig()];
    const scoped = spawnWorker(['--server', origin, '--token', token(host, ['a2a', 'mcp']), ...base]);
    expect(await scoped.exited).toBe(1);
    expect(scoped.stderr()).toContain('may not act as a worker');
    const bad = spawnWorker(['--server', origin, '--token', 'ct_nope', ...base]);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toContain('refused the token');
    const garbled = spawnWorker(['--server', 'not a url', '--token', 'ct_x', ...base]);
    expect(await garbled.exited).toBe(2);
    expect(garbled.stderr()).toContain('is not a URL');
  });
});

describe('a remote worker started before its host', () => {
  it('says once that it waits, then connects and runs a task as soon as the host answers', async () => {
    const dataDir = tempDir('codetether-late-host-');
    const { host: probe } = await startTestHost({ dataDir });
    const port = Number(new URL(probe.urls.health).port);
    const workerToken = token(probe, ['worker']);
    await probe.stop();

    const w = spawnWorker(['--server', `http://127.0.0.1:${port}`, '--token', workerToken, '--codebase', `app=${appDir()}`, '--config', workerConfig(), '--log-level', 'error']);
    await waitFor(() => w.stderr().includes(`waiting for the host at http://127.0.0.1:${port}`), 15_000);
    expect(w.stderr().trim().split('\n')).toHaveLength(1);
    expect(w.child.exitCode).toBeNull();

    const { host } = await startTestHost({ dataDir, config: { port, shutdownGraceMs: 200 } });
    await connected(w, 30_000);
    const { task } = await host.tasks.send({ message: userMessage('lines 2 10', { metadata: { agent: 'paced', codebase: 'app' } }) });
    expect((await host.tasks.settled(task.id)).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it('says in one line, without the usage text, that a codebase folder or an agent does not exist', async () => {
    const missing = spawnWorker(['--server', 'http://127.0.0.1:1', '--token', 'ct_x', '--codebase', 'app=/no/such/folder', '--config', workerConfig()]);
    expect(await missing.exited).toBe(2);
    expect(missing.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^codetether worker: Cannot register codebase "app": \/no\/such\/folder does not exist\.$/)]);
    const agent = spawnWorker(['--server', 'http://127.0.0.1:1', '--token', 'ct_x', '--codebase', `app=${appDir()}`, '--config', workerConfig(), '--agents', 'nobody']);
    expect(await agent.exited).toBe(2);
    expect(agent.stderr().trim().split('\n')).toHaveLength(1);
    expect(agent.stderr()).toContain('Unknown agent "nobody"');
  });
});

describe('remote worker across a host restart', () => {
  it('registers again with the restarted host, which requeues the task it was running; the task completes', async () => {
    const dataDir = tempDir('codetether-restart-');
    const start = async (port: number) => (await startTestHost({ dataDir, config: { port, shutdownGraceMs: 200 } })).host;
    const first = await start(0);
    const port = Number(new URL(first.urls.health).port);
    const w = spawnWorker(['--server', `http://127.0.0.1:${port}`, '--token', token(first, ['worker']), '--codebase', `app=${appDir()}`, '--config', workerConfig(), '--log-level', 'error']);
    await connected(w);
    const { task } = await first.tasks.send({ message: userMessage('lines 20 30', { metadata: { agent: 'paced', codebase: 'app' } }) });
    await waitFor(() => output(first.tasks.get(task.id)).length >= 2, 10_000);
    await first.stop();

    const second = await start(port);
    const done = await second.tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const lines = output(done);
    expect(new Set(lines).size).toBe(lines.length);
    const last = lines.filter((l) => l.startsWith(`${lines.at(-1)!.split(' ')[0]} `));
    expect(last.map((l) => Number(l.split(' ')[2]))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
