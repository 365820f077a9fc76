import { SendMessageRequest, TaskPushNotificationConfig, type Task } from '@a2a-js/sdk';
import { TaskNotFoundError } from '@a2a-js/sdk/errors';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startReceiver } from '../push/support';
import { startRestHost } from './rest-support';

const ticker = (ticks: number, ms: number) =>
  SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'tick' }], metadata: { agent: 'ticker', ticks, ms } },
    configuration: { returnImmediately: true },
  });

describe('HTTP+JSON push notification configs', () => {
  it('creates, gets, lists and deletes with the SDK client, and the webhook gets the events', async () => {
    const { client } = await startRestHost({ pushAllowlist: ['127.0.0.1'] });
    const receiver = await startReceiver();
    const task = (await client.sendMessage(ticker(3, 40))) as Task;

    const created = await client.createTaskPushNotificationConfig(
      TaskPushNotificationConfig.fromJSON({ taskId: task.id, url: receiver.url, token: 'tok-1', authentication: { scheme: 'Bearer', credentials: 'c' } }),
    );
    expect(created).toMatchObject({ taskId: task.id, url: receiver.url, token: 'tok-1' });
    expect(created.id).not.toBe('');

    expect(await client.getTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: created.id })).toMatchObject({ id: created.id, url: receiver.url });
    const listed = await client.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 0, pageToken: '' });
    expect(listed.configs.map((c) => c.id)).toEqual([created.id]);

    await receiver.until(() => receiver.requests.some((r) => r.body.includes('TASK_STATE_COMPLETED')));

    await client.deleteTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: created.id });
    expect((await client.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 0, pageToken: '' })).configs).toEqual([]);
    await expect(client.getTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: created.id })).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('answers 201 on create, {configs, nextPageToken} on list, 204 on delete', async () => {
    const { client, rest } = await startRestHost({ pushAllowlist: ['127.0.0.1'] });
    const receiver = await startReceiver();
    const task = (await client.sendMessage(ticker(1, 5))) as Task;
    const base = `${rest}/tasks/${task.id}/pushNotificationConfigs`;
    const json = { 'content-type': 'application/json' };

    const empty = await fetch(base);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-type')).toBe('application/json');
    expect(await empty.json()).toEqual({ configs: [], nextPageToken: '' });

    const created = await fetch(base, { method: 'POST', headers: json, body: JSON.stringify({ id: 'mine', url: receiver.url }) });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ id: 'mine', taskId: task.id, url: receiver.url });

    const listed = (await (await fetch(base)).json()) as { configs: { id: string }[]; nextPageToken: string };
    expect(listed).toEqual({ configs: [expect.objectContaining({ id: 'mine' })], nextPageToken: '' });

    const deleted = await fetch(`${base}/mine`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await fetch(`${base}/mine`)).status).toBe(404);
  });

  it('refuses a mismatched taskId, an unknown task and a webhook target the policy forbids', async () => {
    const { client, rest } = await startRestHost();
    const task = (await client.sendMessage(ticker(1, 5))) as Task;
    const json = { 'content-type': 'application/json' };
    const create = (taskId: string, body: unknown) =>
      fetch(`${rest}/tasks/${taskId}/pushNotificationConfigs`, { method: 'POST', headers: json, body: JSON.stringify(body) });

    const mismatch = await create(task.id, { taskId: 'other', url: 'https://example.com/hook' });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { error: { message: string } }).error.message).toMatch(/taskId/);

    const unknown = await create('no-such-task', { url: 'https://example.com/hook' });
    expect(unknown.status).toBe(404);

    // No allowlist here, so a loopback webhook is refused.
    const loopback = await create(task.id, { url: 'http://127.0.0.1:9/hook' });
    expect(loopback.status).toBe(400);
    const body = (await loopback.json()) as { error: { status: string; message: string } };
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toMatch(/refused/);
  });
});
