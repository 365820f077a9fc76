import { TaskPushNotificationConfig } from '@a2a-js/sdk';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger, type Logger } from '../../main/base/log';
import type { PushDeliveryConfig } from '../../main/push/push-service';
import { generatePushSigningKey } from '../../main/push/signature';
import type { TaskError } from '../../main/tasks/task-error';
import { openCore, userMessage } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { openPush, startReceiver } from './support';
import { waitFor } from '../support/wait';

function setup(dir: string, config: Partial<PushDeliveryConfig> = {}, key = generatePushSigningKey(), start = true, log?: Logger) {
  const core = openCore(dir);
  const { push } = openPush(core, config, key, log);
  if (start) push.start();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await push.stop();
    await core.close();
  };
  onTestFinished(close);
  return { core, push, close };
}

async function taskIn(core: ReturnType<typeof openCore>): Promise<string> {
  const { task } = await core.tasks.send({ message: userMessage('hi') });
  await core.tasks.settled(task.id);
  return task.id;
}

function cfg(taskId: string, url: string, extra: Record<string, unknown> = {}) {
  return TaskPushNotificationConfig.fromJSON({ taskId, url, ...extra });
}

async function refusal(p: Promise<unknown>): Promise<TaskError> {
  const err = (await p.then(() => undefined, (e: unknown) => e)) as TaskError | undefined;
  if (!err) throw new Error('expected a refusal');
  return err;
}

function thrown(fn: () => unknown): TaskError {
  try {
    fn();
  } catch (err) {
    return err as TaskError;
  }
  throw new Error('expected a throw');
}

describe('push configs', () => {
  it('creates, gets, lists, replaces and deletes configs of a task', async () => {
    const { core, push } = setup(tempDir());
    const taskId = await taskIn(core);
    const a = await push.create(cfg(taskId, 'http://127.0.0.1:9/a', { token: 'secret', authentication: { scheme: 'Bearer', credentials: 'xyz' } }));
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).toMatchObject({ taskId, url: 'http://127.0.0.1:9/a', token: 'secret', authentication: { scheme: 'Bearer', credentials: 'xyz' } });
    const b = await push.create(cfg(taskId, 'http://127.0.0.1:9/b', { id: 'mine' }));
    expect(b).toMatchObject({ id: 'mine', token: '', authentication: undefined });
    expect(push.get(taskId, a.id)).toEqual(a);
    expect(push.list(taskId).map((c) => c.id)).toEqual([a.id, 'mine']);

    await push.create(cfg(taskId, 'http://127.0.0.1:9/b2', { id: 'mine' }));
    expect(push.get(taskId, 'mine').url).toBe('http://127.0.0.1:9/b2');
    expect(push.list(taskId)).toHaveLength(2);

    push.delete(taskId, a.id);
    expect(push.list(taskId).map((c) => c.id)).toEqual(['mine']);
    expect(thrown(() => push.get(taskId, a.id)).kind).toBe('push-config-not-found');
    expect(thrown(() => push.delete(taskId, a.id)).kind).toBe('push-config-not-found');
  });

  it('answers task-not-found for an unknown task, and checks fields', async () => {
    const { core, push } = setup(tempDir());
    expect((await refusal(push.create(cfg('nope', 'http://127.0.0.1:9/')))).kind).toBe('task-not-found');
    expect(thrown(() => push.get('nope', 'x')).kind).toBe('task-not-found');
    expect(thrown(() => push.list('nope')).kind).toBe('task-not-found');
    expect(thrown(() => push.delete('nope', 'x')).kind).toBe('task-not-found');
    const taskId = await taskIn(core);
    expect(push.list(taskId)).toEqual([]);
    expect((await refusal(push.create(cfg(taskId, '')))).message).toMatch(/url is required/);
    expect((await refusal(push.create(cfg(taskId, 'http://127.0.0.1:9/', { token: 'a\r\nX-Evil: 1' })))).message).toMatch(/control characters/);
    expect((await refusal(push.create(cfg(taskId, 'http://127.0.0.1:9/', { authentication: { scheme: 'Bad Scheme', credentials: 'x' } })))).kind).toBe('invalid-params');
    expect((await refusal(push.create(cfg(taskId, 'http://127.0.0.1:9/'), { fromSeq: 0 }))).kind).toBe('invalid-params');
  });

  it('refuses loopback, private, link-local, unspecified and non-http targets unless allowlisted', async () => {
    const { core, push } = setup(tempDir(), { allowlist: [] });
    const taskId = await taskIn(core);
    const refused: [string, RegExp][] = [
      ['http://127.0.0.1:8080/hook', /loopback/],
      ['http://127.1.2.3/hook', /loopback/],
      ['http://[::1]/hook', /loopback/],
      ['http://[::ffff:127.0.0.1]/hook', /loopback/],
      ['http://10.1.2.3/hook', /private/],
      ['http://172.16.5.4/hook', /private/],
      ['http://192.168.1.1/hook', /private/],
      ['http://[fd00::1]/hook', /private/],
      ['http://169.254.169.254/latest/meta-data', /link-local/],
      ['http://[fe80::1]/hook', /link-local/],
      ['http://0.0.0.0/hook', /unspecified/],
      ['http://[::]/hook', /unspecified/],
      ['ftp://example.com/hook', /only http and https/],
      ['file:///etc/passwd', /only http and https/],
      ['not a url', /not an absolute URL/],
    ];
    for (const [url, reason] of refused) {
      const err = await refusal(push.create(cfg(taskId, url)));
      expect(err.kind, url).toBe('invalid-params');
      expect(err.message, url).toMatch(reason);
    }
    expect(push.list(taskId)).toEqual([]);
    await expect(push.create(cfg(taskId, 'https://93.184.216.34/hook'))).resolves.toMatchObject({ url: 'https://93.184.216.34/hook' });
  });

  it('lets allowlisted hosts, IPs and CIDRs through', async () => {
    const { core, push } = setup(tempDir(), { allowlist: ['127.0.0.1', 'localhost', '10.0.0.0/8', 'fd00::/8'] });
    const taskId = await taskIn(core);
    for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost:8080/hook', 'http://10.200.0.1/hook', 'http://[fd00::5]/hook']) {
      await expect(push.create(cfg(taskId, url)), url).resolves.toMatchObject({ url });
    }
    expect((await refusal(push.create(cfg(taskId, 'http://192.168.0.1/hook')))).message).toMatch(/private/);
    expect((await refusal(push.create(cfg(taskId, 'http://127.0.0.2/hook')))).message).toMatch(/loopback/);
  });

  it('accepts a host that does not resolve now and retries its deliveries like any failed one', async () => {
    // .invalid never resolves (RFC 6761): an offline laptop or a DNS hiccup looks the same.
    const { core, push } = setup(tempDir(), { allowlist: [], maxAttempts: 3 });
    const taskId = await taskIn(core);
    await expect(push.create(cfg(taskId, 'https://hooks.example.invalid/a2a'), { fromSeq: 1 })).resolves.toMatchObject({ url: 'https://hooks.example.invalid/a2a' });
    await waitFor(() => push.outbox(taskId).every((r) => r.state === 'dead'));
    const rows = push.outbox(taskId);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.attempts).toBe(3);
      expect(row.last_error).toMatch(/hooks\.example\.invalid does not resolve \(ENOTFOUND\)/);
    }
  });

  it('refuses at delivery a host that resolves to loopback, and says why in the log', async () => {
    const lines: string[] = [];
    const receiver = await startReceiver();
    const { core, push } = setup(tempDir(), { allowlist: [], maxAttempts: 2 }, generatePushSigningKey(), true, createLogger('info', (l) => lines.push(l)));
    const taskId = await taskIn(core);
    // localhost resolves to 127.0.0.1 (and ::1): only the delivery's own lookup can know that.
    const url = `http://localhost:${receiver.port}/hook`;
    await expect(push.create(cfg(taskId, url), { fromSeq: 1 })).resolves.toMatchObject({ url });
    await waitFor(() => push.outbox(taskId).every((r) => r.state === 'dead'));
    expect(receiver.attempts).toEqual([]);
    for (const row of push.outbox(taskId)) expect(row.last_error).toMatch(/refused push target: its host localhost points at (127\.0\.0\.1|::1), a loopback address/);
    const refusals = lines.map((l) => JSON.parse(l) as { level: string; msg: string; error?: string }).filter((l) => l.msg === 'push target refused at delivery; will retry');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals[0]).toMatchObject({ level: 'warn', error: expect.stringMatching(/loopback/) });
  });

  it('checks the target again at delivery: a target no longer allowed is not called', async () => {
    const dir = tempDir();
    const key = generatePushSigningKey();
    const receiver = await startReceiver();
    // Created while 127.0.0.1 was allowed, never delivered (this service is not started).
    const first = setup(dir, { allowlist: ['127.0.0.1'] }, key, false);
    const taskId = await taskIn(first.core);
    await first.push.create(cfg(taskId, receiver.url), { fromSeq: 1 });
    const queued = first.push.outbox(taskId).length;
    expect(queued).toBeGreaterThan(0);
    await first.close();

    const second = setup(dir, { allowlist: [], maxAttempts: 2 }, key);
    await waitFor(() => second.push.outbox(taskId).every((r) => r.state === 'dead'));
    expect(receiver.attempts).toEqual([]);
    const rows = second.push.outbox(taskId);
    expect(rows).toHaveLength(queued);
    for (const row of rows) expect(row.last_error).toMatch(/refused push target: .*loopback/);
  });
});
