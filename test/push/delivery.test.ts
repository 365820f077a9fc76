import { TaskPushNotificationConfig } from '@a2a-js/sdk';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generatePushSigningKey, verifyPushSignature } from '../../main/push/signature';
import type { AgentExecutor } from '../../main/tasks/executor';
import { openCore, userMessage, type Core } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { gatedAgent, openPush, seqOf, startReceiver } from './support';
import type { PushDeliveryConfig } from '../../main/push/push-service';
import { waitFor } from '../support/wait';

/** A task core plus a started push service, torn down push first (it writes the outbox). */
function setup(dir: string, agents: AgentExecutor[], config: Partial<PushDeliveryConfig> = {}, key = generatePushSigningKey()) {
  const core: Core = openCore(dir, agents);
  const { push, signingKey } = openPush(core, config, key);
  push.start();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await push.stop();
    await core.close();
  };
  onTestFinished(close);
  return { core, push, signingKey, close };
}

function config(taskId: string, url: string, extra: Record<string, unknown> = {}) {
  return TaskPushNotificationConfig.fromJSON({ taskId, url, ...extra });
}

describe('push delivery', () => {
  it('delivers every event after the config, in seq order, with token, auth and a verifiable signature', async () => {
    const gated = gatedAgent(3);
    const { core, push, signingKey } = setup(tempDir(), [gated.agent]);
    const receiver = await startReceiver();
    const { task } = await core.tasks.send({ message: userMessage('hi'), metadata: { agent: 'gated' } });
    await push.create(config(task.id, receiver.url, { token: 'tok-1', authentication: { scheme: 'Bearer', credentials: 'cred-1' } }));
    gated.open();
    await core.tasks.settled(task.id);

    const events = core.tasks.eventsAfter(task.id, 1);
    expect(events.map((e) => e.kind)).toEqual(['statusUpdate', 'artifactUpdate', 'artifactUpdate', 'artifactUpdate', 'statusUpdate']);
    await receiver.until(() => receiver.requests.length === events.length);
    expect(receiver.requests.map((r) => r.body)).toEqual(events.map((e) => e.json));
    expect(receiver.requests.map((r) => seqOf(r.headers))).toEqual(events.map((e) => e.seq));
    const publicKeyPem = signingKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const r of receiver.requests) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-a2a-notification-token']).toBe('tok-1');
      expect(r.headers.authorization).toBe('Bearer cred-1');
      const verdict = verifyPushSignature({ header: r.headers['x-codetether-signature'] as string, body: r.body, publicKey: publicKeyPem });
      expect(verdict).toMatchObject({ ok: true, seq: seqOf(r.headers) });
      expect(verifyPushSignature({ header: r.headers['x-codetether-signature'] as string, body: r.body + ' ', publicKey: publicKeyPem }).ok).toBe(false);
    }
    expect(JSON.parse(receiver.requests.at(-1)!.body)).toMatchObject({ statusUpdate: { taskId: task.id, status: { state: 'TASK_STATE_COMPLETED' } } });
    await waitFor(() => push.outbox(task.id).length === 0);
  });

  it('retries a failing receiver with growing delays and delivers each event exactly once after it recovers', async () => {
    const gated = gatedAgent(1);
    const { core, push } = setup(tempDir(), [gated.agent], { baseDelayMs: 40, maxDelayMs: 1000, maxAttempts: 8 });
    const receiver = await startReceiver((n) => (n < 3 ? 500 : 200));
    const { task } = await core.tasks.send({ message: userMessage('hi'), metadata: { agent: 'gated' } });
    await push.create(config(task.id, receiver.url));
    gated.open();
    await core.tasks.settled(task.id);
    const events = core.tasks.eventsAfter(task.id, 1);
    await receiver.until(() => receiver.requests.length === events.length);
    await new Promise((r) => setTimeout(r, 150));

    expect(receiver.requests.map((r) => seqOf(r.headers))).toEqual(events.map((e) => e.seq));
    expect(receiver.attempts.length).toBe(events.length + 3);
    // The first event was tried three times and failed; its retries waited >= half of 40, 80, 160 ms.
    const first = receiver.attempts.filter((a) => a.seq === events[0]!.seq);
    expect(first.map((a) => a.status)).toEqual([500, 500, 500, 200]);
    const gaps = first.slice(1).map((a, i) => a.at - first[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeGreaterThanOrEqual(78);
    // Nothing of a later event was sent before the first one got through.
    expect(receiver.attempts.slice(0, 4).every((a) => a.seq === events[0]!.seq)).toBe(true);
    await waitFor(() => push.outbox(task.id).length === 0);
  });

  it('gives an event up after maxAttempts, keeps it as dead with its last error, and goes on with the next', async () => {
    const gated = gatedAgent(1);
    const { core, push } = setup(tempDir(), [gated.agent], { maxAttempts: 3 });
    let poisoned = 0;
    const receiver = await startReceiver((_n, seq) => (seq === poisoned ? 503 : 200));
    const { task } = await core.tasks.send({ message: userMessage('hi'), metadata: { agent: 'gated' } });
    await push.create(config(task.id, receiver.url));
    poisoned = 2;
    gated.open();
    await core.tasks.settled(task.id);
    const events = core.tasks.eventsAfter(task.id, 1);
    await receiver.until(() => receiver.requests.length === events.length - 1);

    expect(receiver.attempts.filter((a) => a.seq === 2).length).toBe(3);
    expect(receiver.requests.map((r) => seqOf(r.headers))).toEqual(events.slice(1).map((e) => e.seq));
    await waitFor(() => push.outbox(task.id).length === 1);
    const outbox = push.outbox(task.id);
    expect(outbox[0]).toMatchObject({ seq: 2, state: 'dead', attempts: 3, last_error: 'HTTP 503' });
  });

  it('records connection failures, and delivers what is pending after a restart on the same data dir', async () => {
    const dir = tempDir();
    const key = generatePushSigningKey();
    const gated = gatedAgent(2);
    const down = await startReceiver();
    const { port, url } = down;
    await down.close();

    const first = setup(dir, [gated.agent], { maxAttempts: 100, baseDelayMs: 20, maxDelayMs: 50 }, key);
    const { task } = await first.core.tasks.send({ message: userMessage('hi'), metadata: { agent: 'gated' } });
    const created = await first.push.create(config(task.id, url, { token: 't' }));
    gated.open();
    await first.core.tasks.settled(task.id);
    const events = first.core.tasks.eventsAfter(task.id, 1);
    await waitFor(() => (first.push.outbox(task.id)[0]?.attempts ?? 0) >= 2);
    const pending = first.push.outbox(task.id);
    expect(pending.map((r) => r.seq)).toEqual(events.map((e) => e.seq));
    expect(pending[0]!.attempts).toBeGreaterThanOrEqual(1);
    expect(pending[0]!.last_error).toMatch(/ECONNREFUSED/);
    expect(pending.slice(1).every((r) => r.attempts === 0)).toBe(true);
    await first.close();

    const receiver = await startReceiver(() => 200, port);
    const second = setup(dir, [], { maxAttempts: 100, baseDelayMs: 20, maxDelayMs: 50 }, key);
    expect(second.push.get(task.id, created.id).url).toBe(url);
    await receiver.until(() => receiver.requests.length === events.length);
    expect(receiver.requests.map((r) => r.body)).toEqual(events.map((e) => e.json));
    await waitFor(() => second.push.outbox(task.id).length === 0);
  });

  it('replays already committed events from fromSeq, for a config that came with the message', async () => {
    const { core, push } = setup(tempDir(), []);
    const receiver = await startReceiver();
    const { task, firstSeq } = await core.tasks.send({ message: userMessage('echo me') });
    await core.tasks.settled(task.id);
    await push.create(config(task.id, receiver.url), { fromSeq: firstSeq });
    const events = core.tasks.eventsAfter(task.id, 0);
    await receiver.until(() => receiver.requests.length === events.length);
    expect(receiver.requests.map((r) => r.body)).toEqual(events.map((e) => e.json));
    expect(JSON.parse(receiver.requests[0]!.body)).toHaveProperty('task.id', task.id);
  });

  it('sends nothing for tasks without configs, and stops sending to a deleted config', async () => {
    const gated = gatedAgent(1);
    const { core, push } = setup(tempDir(), [gated.agent]);
    const receiver = await startReceiver();
    const { task } = await core.tasks.send({ message: userMessage('hi'), metadata: { agent: 'gated' } });
    const created = await push.create(config(task.id, receiver.url));
    push.delete(task.id, created.id);
    gated.open();
    await core.tasks.settled(task.id);
    await core.tasks.send({ message: userMessage('other') });
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.attempts).toEqual([]);
    await waitFor(() => push.outbox(task.id).length === 0);
  });

  it('keeps at most `concurrency` deliveries in flight across configs', async () => {
    const { core, push } = setup(tempDir(), [], { concurrency: 3 });
    let inFlight = 0;
    let most = 0;
    let done = 0;
    const server = createServer((req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      req.resume();
      setTimeout(() => {
        inFlight--;
        done++;
        res.writeHead(200).end();
      }, 30);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    let expected = 0;
    for (let i = 0; i < 8; i++) {
      const { task, firstSeq } = await core.tasks.send({ message: userMessage(`t${i}`) });
      await core.tasks.settled(task.id);
      await push.create(config(task.id, url), { fromSeq: firstSeq });
      expected += core.tasks.eventsAfter(task.id, 0).length;
    }
    await waitFor(() => done === expected);
    expect(most).toBe(3);
  });
});
