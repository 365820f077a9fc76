import { TaskPushNotificationConfig, type Task } from '@a2a-js/sdk';
import { TaskNotFoundError } from '@a2a-js/sdk/errors';
import { describe, expect, it } from 'vitest';
import { seqOf, startReceiver } from '../push/support';
import { request, rpc, startRpcHost } from './support';

describe('JSON-RPC push notification configs', () => {
  it('creates, gets, lists and deletes configs with the SDK client', async () => {
    const { client } = await startRpcHost({ pushAllowlist: ['127.0.0.1'] });
    const receiver = await startReceiver();
    const task = (await client.sendMessage(request('wait', { metadata: { agent: 'blocker' }, configuration: { returnImmediately: true } }))) as Task;
    const created = await client.createTaskPushNotificationConfig(TaskPushNotificationConfig.fromJSON({ taskId: task.id, url: receiver.url, token: 't1' }));
    expect(created).toMatchObject({ taskId: task.id, url: receiver.url, token: 't1' });
    expect(await client.getTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: created.id })).toMatchObject({ id: created.id });
    expect((await client.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 0, pageToken: '' })).configs.map((c) => c.id)).toEqual([created.id]);
    await client.deleteTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: created.id });
    await expect(client.getTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: created.id })).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(
      client.createTaskPushNotificationConfig(TaskPushNotificationConfig.fromJSON({ taskId: 'nope', url: receiver.url })),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('a config sent with SendMessage gets every event of the task, from the first', async () => {
    const { client, host } = await startRpcHost({ pushAllowlist: ['127.0.0.1'] });
    const receiver = await startReceiver();
    const done = (await client.sendMessage(request('a b c', { metadata: { delayMs: 5 }, configuration: { taskPushNotificationConfig: { url: receiver.url } } }))) as Task;
    const seqs = host.tasks.eventsAfter(done.id, 0).map((e) => e.seq);
    await receiver.until(() => receiver.requests.length >= seqs.length);
    expect(receiver.requests.map((r) => seqOf(r.headers)).sort((a, b) => a - b)).toEqual(seqs);
  });

  it('a refused webhook target fails SendMessage with -32602 before any task exists', async () => {
    const { rpc: url, host } = await startRpcHost();
    const answer = await rpc(url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'SendMessage',
      params: { message: { messageId: 'p', role: 'ROLE_USER', parts: [{ text: 'x' }], metadata: { agent: 'blocker' } }, configuration: { taskPushNotificationConfig: { url: 'http://127.0.0.1:9/hook' } } },
    });
    expect(answer.body.error?.code).toBe(-32602);
    expect(answer.body.error?.message).toContain('refused');
    expect(host.tasks.list({}).totalSize).toBe(0);
  });
});
