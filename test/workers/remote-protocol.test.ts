import { TaskState } from '@a2a-js/sdk';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startRpcHost } from '../a2a/support';
import { userMessage } from '../support/task-core';
import { appDir, connected, spawnWorker, token, workerConfig } from './remote-support';

/** A TCP proxy to `target` whose `cut()` drops every open connection, both ways: a network drop. */
async function dropProxy(target: URL): Promise<{ url: string; cut(): number }> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => {
    for (const s of open) s.destroy();
    server.close();
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      const n = open.size;
      for (const s of open) s.destroy();
      return n;
    },
  };
}

function outputOf(task: { artifacts: { artifactId: string; parts: { content?: { $case: string; value?: unknown } }[] }[] }): string {
  const artifact = task.artifacts.find((a) => a.artifactId === 'output');
  return (artifact?.parts ?? []).map((p) => (p.content?.$case === 'text' ? String(p.content.value) : '')).join('');
}

describe('remote worker protocol', () => {
  it('applies a batch once however often it is sent, in order, and forgets a lease once complete', async () => {
    const { host } = await startRpcHost({ mcpPort: 0 });
    const origin = new URL(host.urls.a2a).origin;
    const auth = { authorization: `Bearer ${token(host, ['worker'])}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(origin + path, { method: 'POST', headers: auth, body: JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    };
    const reg = await post('/workers/register', { workerId: 'w1', name: 'manual', codebases: ['app'], agents: ['paced'], concurrency: 1 });
    expect(reg.status).toBe(200);
    const session = reg.body!.sessionId as string;
    expect((await post('/workers/sessions/nope/claim', {})).body).toMatchObject({ error: { code: 'session_unknown' } });

    const { task } = await host.tasks.send({ message: userMessage('go', { metadata: { agent: 'paced', codebase: 'app' } }) });
    const claim = await post(`/workers/sessions/${session}/claim`, {});
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({ taskId: task.id, agent: 'paced', attempt: 1 });
    const lease = claim.body!.leaseId as string;
    const events = `/workers/sessions/${session}/leases/${lease}/events`;
    const chunk = { kind: 'artifact', artifact: { artifactId: 'output', name: 'output', parts: [{ text: 'once\n' }] }, append: true };

    expect(await post(events, { seq: 1, updates: [chunk] })).toMatchObject({ status: 200, body: { applied: 1 } });
    expect(await post(events, { seq: 1, updates: [chunk] })).toMatchObject({ status: 200, body: { applied: 1 } });
    expect(await post(events, { seq: 3, updates: [chunk] })).toMatchObject({ status: 409, body: { error: { code: 'out_of_order' } } });
    expect(await post(events, { seq: 2, updates: [{ kind: 'status', state: 'TASK_STATE_COMPLETED' }] })).toMatchObject({ status: 200 });
    expect((await post(`/workers/sessions/${session}/leases/${lease}/complete`, {})).status).toBe(200);
    expect(await post(events, { seq: 3, updates: [chunk] })).toMatchObject({ status: 410, body: { error: { code: 'lease_lost' } } });

    const done = host.tasks.get(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(outputOf(done)).toBe('once\n');
  });

  it('a worker whose connections keep dropping reconnects and delivers every line once, in order', async () => {
    const { host } = await startRpcHost({ mcpPort: 0 });
    const proxy = await dropProxy(new URL(host.urls.a2a));
    const w = spawnWorker(['--server', proxy.url, '--token', token(host, ['worker']), '--codebase', `app=${appDir()}`, '--config', workerConfig(), '--log-level', 'error']);
    await connected(w);
    const { task } = await host.tasks.send({ message: userMessage('lines 60 20', { metadata: { agent: 'paced', codebase: 'app' } }) });
    let cuts = 0;
    const cutter = setInterval(() => (cuts += proxy.cut() > 0 ? 1 : 0), 97);
    const done = await host.tasks.settled(task.id).finally(() => clearInterval(cutter));
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(cuts).toBeGreaterThan(3);
    const lines = outputOf(done).split('\n').filter(Boolean);
    expect(lines.map((l) => Number(l.split(' ')[2]))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(new Set(lines.map((l) => l.split(' ')[0])).size).toBe(1);
  });
});
