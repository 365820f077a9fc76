import { TaskState } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import type { HookBody, HookSubscription, RalphHookBody, TaskHookBody } from '../../shared/hooks-api';
import { createLogger } from '../../main/base/log';
import { verifyPushSignature } from '../../main/push/signature';
import { openCore, userMessage } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';
import { createRun, prd, ralphHost, waitRun } from '../ralph/support';
import { addCodebases, api, hookHost, sendTask } from './hook-support';
import { startReceiver } from './support';

type ErrorBody = { error: { code: string; message: string } };

async function subscribe(base: string, body: Record<string, unknown>): Promise<HookSubscription> {
  const r = await api<HookSubscription>(base, '/v1/hooks', { body });
  if (r.status !== 201) throw new Error(`subscribe: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const bodiesOf = (receiver: { requests: { body: string }[] }) => receiver.requests.map((r) => JSON.parse(r.body) as HookBody);

describe('REST hooks', () => {
  it('subscribes, lists, gets and deletes, and refuses bad input with 400s that say what is wrong', async () => {
    const { origin: base } = await hookHost();
    const receiver = await startReceiver();
    const hook = await subscribe(base, { event: 'task.completed', targetUrl: receiver.url, filter: { agent: 'echo' } });
    expect(hook).toMatchObject({ event: 'task.completed', targetUrl: receiver.url, filter: { agent: 'echo' }, createdBy: 'local' });
    expect((await api<{ hooks: HookSubscription[] }>(base, '/v1/hooks')).body.hooks).toEqual([hook]);
    expect((await api<HookSubscription & { outbox: unknown[] }>(base, `/v1/hooks/${hook.id}`)).body).toMatchObject({ ...hook, outbox: [] });

    const bad = async (body: unknown) => {
      const r = await api<ErrorBody>(base, '/v1/hooks', { body });
      expect(r.status).toBe(400);
      return r.body.error.message;
    };
    expect(await bad({ event: 'task.exploded', targetUrl: receiver.url })).toContain('"event" must be one of: task.created, task.completed, task.failed, task.input_required, ralph.run.finished');
    expect(await bad({ event: 'task.created' })).toContain('"targetUrl" is required');
    expect(await bad({ event: 'task.created', targetUrl: receiver.url, secret: 'x' })).toContain('secret');
    expect(await bad({ event: 'task.created', targetUrl: receiver.url, filter: { state: 'failed' } })).toContain('state');
    expect(await bad({ event: 'task.created', targetUrl: 'ftp://example.com/in' })).toContain('only http and https');
    expect(await bad({ event: 'task.created', targetUrl: 'not a url' })).toContain('not an absolute URL');
    expect(await bad({ event: 'ralph.run.finished', targetUrl: receiver.url, filter: { agent: 'x' } })).toContain('codebase only');
    expect(await bad('{"event": ')).toContain('not valid JSON');
    const form = await fetch(`${base}/v1/hooks`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    // A browser page of another origin may neither subscribe nor unsubscribe.
    expect((await api(base, '/v1/hooks', { body: { event: 'task.created', targetUrl: receiver.url }, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await api(base, `/v1/hooks/${hook.id}`, { method: 'DELETE', headers: { origin: 'https://evil.example' } })).status).toBe(403);
    // Nothing the refusals carried was stored.
    expect((await api<{ hooks: HookSubscription[] }>(base, '/v1/hooks')).body.hooks).toHaveLength(1);

    expect((await api(base, `/v1/hooks/${hook.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api<ErrorBody>(base, `/v1/hooks/${hook.id}`, { method: 'DELETE' })).body.error.code).toBe('not_found');
    expect((await api(base, `/v1/hooks/${hook.id}`)).status).toBe(404);
    expect((await api<{ hooks: HookSubscription[] }>(base, '/v1/hooks')).body.hooks).toEqual([]);
  });

  it('needs the hooks scope where tokens are required', async () => {
    const { origin: base, host } = await hookHost({ requireAuth: true });
    const token = (scopes: ('a2a' | 'hooks' | 'read')[]) => {
      const t = host.tokens.create({ name: `t-${scopes.join('-')}`, scopes });
      if (!t.ok) throw new Error(t.reason);
      return { authorization: `Bearer ${t.token}` };
    };
    expect((await api(base, '/v1/hooks')).status).toBe(401);
    const a2a = await api<ErrorBody>(base, '/v1/hooks', { headers: token(['a2a']) });
    expect(a2a.status).toBe(403);
    expect(a2a.body.error.message).toContain('"hooks" scope');
    const zapier = token(['a2a', 'hooks']);
    const created = await api<HookSubscription>(base, '/v1/hooks', { body: { event: 'task.created', targetUrl: 'https://hooks.example.com/in' }, headers: zapier });
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe('t-a2a-hooks');
    expect((await api(base, '/v1/hooks/poll?event=task.created', { headers: zapier })).status).toBe(200);
  });

  it('delivers each event signed, with the event in a header, to the subscriptions whose filter matches', async () => {
    const test = await hookHost();
    const { origin: base, host } = test;
    addCodebases(test, 'web', 'api');
    const receiver = await startReceiver();
    const other = await startReceiver();
    const all = await subscribe(base, { event: 'task.completed', targetUrl: receiver.url });
    await subscribe(base, { event: 'task.completed', targetUrl: other.url, filter: { codebase: 'api' } });
    const created = await subscribe(base, { event: 'task.created', targetUrl: receiver.url, filter: { agent: 'ask' } });
    const failed = await subscribe(base, { event: 'task.failed', targetUrl: receiver.url });
    const asked = await subscribe(base, { event: 'task.input_required', targetUrl: receiver.url });

    const done = await sendTask(base, 'build it', { codebase: 'web' });
    const broken = await sendTask(base, 'now', { agent: 'fail' });
    const question = await sendTask(base, 'first', { agent: 'ask' });
    await host.tasks.settled(done);
    await host.tasks.settled(broken);
    expect((await host.tasks.settled(question)).status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    await receiver.until(() => receiver.requests.length === 4);

    const key = (await (await fetch(`${base}/.well-known/codetether-push-key`)).json()) as { publicKeyPem: string };
    for (const r of receiver.requests) {
      expect(verifyPushSignature({ header: r.headers['x-codetether-signature'] as string, body: r.body, publicKey: key.publicKeyPem }).ok).toBe(true);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-codetether-event']).toBe(JSON.parse(r.body).event);
    }
    const got = bodiesOf(receiver) as TaskHookBody[];
    // Of the creations, the agent filter let through the ask agent's only.
    expect(got.filter((b) => b.event === 'task.created').map((b) => b.taskId)).toEqual([question]);
    const completed = got.find((b) => b.event === 'task.completed')!;
    expect(completed).toMatchObject({ taskId: done, state: 'completed', agent: 'echo', codebase: 'web', input: 'build it', message: 'build it', output: 'build it', url: null });
    expect(completed.id).toBe(`${done}.${host.tasks.eventsAfter(done, 0).at(-1)!.seq}`);
    expect(new Date(completed.occurredAt).getTime()).toBeGreaterThan(0);
    expect(got.find((b) => b.event === 'task.failed')).toMatchObject({ taskId: broken, state: 'failed', agent: 'fail', message: expect.stringContaining('told to fail: now') });
    expect(got.find((b) => b.event === 'task.input_required')).toMatchObject({ taskId: question, state: 'input-required', agent: 'ask', message: 'What is your name?' });
    const byHook = Object.fromEntries(receiver.requests.map((r) => [JSON.parse(r.body).event, r.headers['x-codetether-hook']]));
    expect(byHook).toEqual({ 'task.completed': all.id, 'task.created': created.id, 'task.failed': failed.id, 'task.input_required': asked.id });

    // The codebase filter matched nothing; one for "api" gets that task's end only.
    expect(other.requests).toHaveLength(0);
    const api2 = await sendTask(base, 'serve it', { codebase: 'api' });
    await host.tasks.settled(api2);
    await other.until(() => other.requests.length === 1);
    expect(bodiesOf(other)[0]).toMatchObject({ event: 'task.completed', taskId: api2, codebase: 'api' });
    await waitFor(() => host.hooks.outbox(all.id).length === 0);
  });

  it('retries a failing target from the durable outbox, and a 410 Gone removes the subscription', async () => {
    const { origin: base, host } = await hookHost();
    const flaky = await startReceiver((n) => (n < 2 ? 503 : 200));
    const hook = await subscribe(base, { event: 'task.completed', targetUrl: flaky.url });
    const id = await sendTask(base, 'one');
    await host.tasks.settled(id);
    await flaky.until(() => flaky.requests.length === 1);
    expect(flaky.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    await waitFor(() => host.hooks.outbox(hook.id).length === 0);

    const gone = await startReceiver(() => 410);
    const leaving = await subscribe(base, { event: 'task.completed', targetUrl: gone.url });
    await host.tasks.settled(await sendTask(base, 'two'));
    await gone.until(() => gone.attempts.length === 1);
    await waitFor(() => !host.hooks.list().some((h) => h.id === leaving.id));
    expect((await api(base, `/v1/hooks/${leaving.id}`)).status).toBe(404);
    await host.tasks.settled(await sendTask(base, 'three'));
    await flaky.until(() => flaky.requests.length === 3);
    expect(gone.attempts).toHaveLength(1);
  });

  it('refuses loopback and private targets unless allowlisted, also when a name resolves to one at delivery', async () => {
    const lines: string[] = [];
    const { origin: base, host } = await hookHost({ pushAllowlist: [] }, { log: createLogger('info', (l) => lines.push(l)) });
    const receiver = await startReceiver();
    for (const target of [receiver.url, `http://10.1.2.3/in`, `http://[::1]:${receiver.port}/in`, `http://169.254.169.254/latest`]) {
      const r = await api<ErrorBody>(base, '/v1/hooks', { body: { event: 'task.created', targetUrl: target } });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/refused: it points at .*(loopback|private|link-local)/);
    }
    // A name is resolved where it is dialled: localhost passes the check at subscribe time and is refused at delivery.
    const hook = await subscribe(base, { event: 'task.created', targetUrl: `http://localhost:${receiver.port}/hook` });
    await sendTask(base, 'x');
    await waitFor(() => (host.hooks.outbox(hook.id)[0]?.attempts ?? 0) >= 2);
    expect(receiver.attempts).toHaveLength(0);
    expect(host.hooks.outbox(hook.id)[0]!.last_error).toContain('refused push target: its host localhost');
    const refusals = lines.map((l) => JSON.parse(l) as { level: string; msg: string; error?: string }).filter((l) => l.msg === 'hook target refused at delivery; will retry');
    expect(refusals[0]).toMatchObject({ level: 'warn', error: expect.stringMatching(/loopback/) });
  });

  it('loses nothing across a restart: what was pending is delivered, and events no hook listener saw are caught up once', async () => {
    const dataDir = tempDir();
    const receiver = await startReceiver((n) => (n < 1 ? 500 : 200));
    const first = await hookHost({ pushBaseDelayMs: 1500, pushMaxDelayMs: 1500 }, { dataDir });
    const hook = await subscribe(first.origin, { event: 'task.completed', targetUrl: receiver.url });
    const early = await sendTask(first.origin, 'before the restart');
    await first.host.tasks.settled(early);
    // Its retry is a second or so away; the host stops with it pending.
    await waitFor(() => first.host.hooks.outbox(hook.id)[0]?.last_error === 'HTTP 500');
    expect(first.host.hooks.outbox(hook.id)).toMatchObject([{ state: 'pending', attempts: 1 }]);
    await first.host.stop();
    expect(receiver.attempts).toHaveLength(1);

    // Tasks finish while no hook listener runs: what a crash between commit and queueing leaves behind.
    const core = openCore(dataDir);
    const { task: unseen } = await core.tasks.send({ message: userMessage('while down') });
    await core.tasks.settled(unseen.id);
    await core.close();

    const second = await hookHost({}, { dataDir });
    await receiver.until(() => receiver.requests.length === 2);
    expect(bodiesOf(receiver).map((b) => (b as TaskHookBody).taskId).sort()).toEqual([early, unseen.id].sort());
    await waitFor(() => second.host.hooks.outbox(hook.id).length === 0);
    await second.host.stop();

    // A third start finds both delivered: nothing goes out twice.
    const third = await hookHost({}, { dataDir });
    await third.host.tasks.settled(await sendTask(third.origin, 'after'));
    await receiver.until(() => receiver.requests.length === 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(bodiesOf(receiver).map((b) => b.id)).size).toBe(3);
  });

  it('answers each polling fallback newest first with stable ids, the same bodies a subscription gets', async () => {
    const test = await hookHost();
    const { origin: base, host } = test;
    addCodebases(test, 'web', 'api');
    const receiver = await startReceiver();
    await subscribe(base, { event: 'task.completed', targetUrl: receiver.url });
    const ids: string[] = [];
    for (const text of ['first', 'second', 'third']) {
      const id = await sendTask(base, text, { codebase: text === 'second' ? 'api' : 'web' });
      await host.tasks.settled(id);
      ids.push(id);
    }
    await host.tasks.settled(await sendTask(base, 'please', { agent: 'fail' }));
    const waiting = await sendTask(base, 'me', { agent: 'ask' });
    await host.tasks.settled(waiting);
    await receiver.until(() => receiver.requests.length === 3);

    const poll = async (query: string) => {
      const r = await api<{ events: HookBody[] }>(base, `/v1/hooks/poll?${query}`);
      expect(r.status).toBe(200);
      return r.body.events as TaskHookBody[];
    };
    const completed = await poll('event=task.completed');
    expect(completed.map((b) => b.taskId)).toEqual([...ids].reverse());
    expect(await poll('event=task.completed')).toEqual(completed);
    // The ids and bodies match what was delivered.
    const delivered = bodiesOf(receiver) as TaskHookBody[];
    for (const b of delivered) expect(completed.find((c) => c.id === b.id)).toEqual(b);
    expect((await poll('event=task.completed&limit=1')).map((b) => b.taskId)).toEqual([ids[2]]);
    expect((await poll('event=task.completed&codebase=api')).map((b) => b.taskId)).toEqual([ids[1]]);

    const created = await poll('event=task.created');
    expect(created).toHaveLength(5);
    expect(created[0]).toMatchObject({ taskId: waiting, state: 'submitted', agent: 'ask', input: 'me', output: '', id: `${waiting}.1` });
    expect((await poll('event=task.failed')).map((b) => b.input)).toEqual(['please']);
    expect(await poll('event=task.input_required')).toMatchObject([{ taskId: waiting, message: 'What is your name?' }]);
    expect(await poll('event=ralph.run.finished')).toEqual([]);

    expect((await api<ErrorBody>(base, '/v1/hooks/poll?event=nope')).body.error.message).toContain('?event= must be one of');
    expect((await api<ErrorBody>(base, '/v1/hooks/poll?event=task.created&state=x')).status).toBe(400);
    expect((await api<ErrorBody>(base, '/v1/hooks/poll?event=task.created&limit=1000')).body.error.message).toContain('limit must be an integer from 1 to 100');
  });

  it('tells ralph.run.finished when a Ralph run ends, with its outcome, filtered by codebase', async () => {
    const { base } = await ralphHost({ 'US-1': [{ files: { 'a.txt': 'A\n' } }] }, { config: { pushAllowlist: ['127.0.0.1'], pushBaseDelayMs: 20 } });
    const receiver = await startReceiver();
    const elsewhere = await startReceiver();
    await subscribe(base, { event: 'ralph.run.finished', targetUrl: receiver.url, filter: { codebase: 'app' } });
    await subscribe(base, { event: 'ralph.run.finished', targetUrl: elsewhere.url, filter: { codebase: 'other' } });
    const run = await createRun(base, { prd: prd([{ id: 'US-1' }]) });
    expect((await waitRun(base, run.id)).status).toBe('completed');
    await receiver.until(() => receiver.requests.length === 1);
    const body = bodiesOf(receiver)[0] as RalphHookBody;
    expect(body).toMatchObject({ event: 'ralph.run.finished', runId: run.id, status: 'completed', stopReason: 'completed', codebase: 'app', project: 'Demo', branch: 'ralph/demo', storiesTotal: 1, storiesPassed: 1 });
    expect(receiver.requests[0]!.headers['x-codetether-event']).toBe('ralph.run.finished');
    const polled = await api<{ events: HookBody[] }>(base, '/v1/hooks/poll?event=ralph.run.finished');
    expect(polled.body.events).toEqual([body]);
    expect(elsewhere.requests).toHaveLength(0);
  }, 60_000);

  it('tells ralph.run.finished of a canceled run once the run has recorded why, the same body the polling fallback answers', async () => {
    const { base } = await ralphHost({ 'US-1': [{ sleepMs: 60_000 }] }, { config: { pushAllowlist: ['127.0.0.1'], pushBaseDelayMs: 20 } });
    const receiver = await startReceiver();
    await subscribe(base, { event: 'ralph.run.finished', targetUrl: receiver.url });
    const run = await createRun(base, { prd: prd([{ id: 'US-1' }, { id: 'US-2' }]) });
    expect((await api(base, `/v1/ralph/runs/${run.id}/cancel`, { method: 'POST' })).status).toBe(200);
    await receiver.until(() => receiver.requests.length === 1, 10_000);
    const body = bodiesOf(receiver)[0] as RalphHookBody;
    // The run's task ends before the run records its stop reason and summary; the delivery waits for those.
    expect(body).toMatchObject({ event: 'ralph.run.finished', runId: run.id, status: 'canceled', stopReason: 'canceled', storiesTotal: 2, storiesPassed: 0 });
    expect(body.summary).toContain('0 of 2 stories passed');
    expect((await api<{ events: HookBody[] }>(base, '/v1/hooks/poll?event=ralph.run.finished')).body.events).toEqual([body]);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests).toHaveLength(1);
  }, 60_000);
});
