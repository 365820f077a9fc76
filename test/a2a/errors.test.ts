import { describe, expect, it } from 'vitest';
import { rpc, startRpcHost } from './support';

const send = (params: unknown, id: number | string = 1) => ({ jsonrpc: '2.0', id, method: 'SendMessage', params });
const msg = (extra: Record<string, unknown> = {}) => ({ messageId: 'm', role: 'ROLE_USER', parts: [{ text: 'hi' }], ...extra });

describe('JSON-RPC errors', () => {
  it('answers every malformed request with the spec code and a clear message', async () => {
    const { rpc: url } = await startRpcHost();
    const cases: [unknown, number, Record<string, string>?][] = [
      ['{"jsonrpc":"2.0",', -32700],
      ['[{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"x"}}]', -32600],
      ['"just a string"', -32600],
      [{ jsonrpc: '1.0', id: 1, method: 'GetTask', params: { id: 'x' } }, -32600],
      [{ jsonrpc: '2.0', id: 1.5, method: 'GetTask', params: { id: 'x' } }, -32600],
      [{ jsonrpc: '2.0', id: 1, method: 7 }, -32600],
      [{ jsonrpc: '2.0', id: 1, method: 'tasks/list', params: {} }, -32601],
      [{ jsonrpc: '2.0', id: 1, method: 'GetTask', params: [] }, -32602],
      [send({ message: msg({ messageId: '' }) }), -32602],
      [send({ message: msg({ parts: [] }) }), -32602],
      [send({ message: msg({ parts: [{ kind: 'mystery' }] }) }), -32602],
      [send({ message: msg({ parts: [null] }) }), -32602],
      [send({ message: msg({ role: 'ROLE_AGENT' }) }), -32602],
      [send({ message: msg({ role: 'ROLE_WIZARD' }) }), -32602],
      [send({ message: msg(), configuration: { historyLength: -1 } }), -32602],
      [send({ message: msg({ metadata: { agent: 'nobody' } }) }), -32602],
      [send({ message: msg({ metadata: { codebase: 'nowhere' } }) }), -32602],
      [send({ message: msg(), metadata: { codebase: 7 } }), -32602],
      [send({ message: msg(), configuration: { pushNotificationConfig: { url: 'https://example.com/hook' } } }), -32602],
      [send({ message: msg(), configuration: { blocking: false } }), -32602],
      [send({ message: msg({ messageId: 5 }) }), -32602],
      [send({ message: msg(), configuration: { returnImmediately: 'no' } }), -32602],
      [send({ message: msg({ parts: [{ text: 'a', data: {} }] }) }), -32602],
      [send({ message: msg({ metadata: JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)) }) }), -32602],
      [{ jsonrpc: '2.0', id: 1, method: 'message/send', params: JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)) }, -32602],
      [{ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 7 } }, -32602],
      ...[{ kind: 'text', text: 5 }, { kind: 'data', data: 'x' }, { kind: 'file', file: 5 }, { kind: 'file', file: {} }, { kind: 'spell' }].map(
        (part): [unknown, number] => [{ jsonrpc: '2.0', id: 1, method: 'message/send', params: { message: { kind: 'message', messageId: 'm', role: 'user', parts: [part] } } }, -32602],
      ),
      [{ jsonrpc: '2.0', id: 1, method: 'ListTasks', params: { status: 'TASK_STATE_BORED' } }, -32602],
      [{ jsonrpc: '2.0', id: 1, method: 'ListTasks', params: { pageSize: 1000 } }, -32602],
      [{ jsonrpc: '2.0', id: 1, method: 'ListTasks', params: { pageToken: 'garbage' } }, -32602],
      [{ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: '' } }, -32602],
      [{ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'nope' } }, -32001],
      [{ jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id: 'nope' } }, -32001],
      [{ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'x' } }, -32005, { 'content-type': 'text/plain' }],
      [{ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'x' } }, -32009, { 'a2a-version': '2.0' }],
    ];
    for (const [body, code, headers] of cases) {
      const answer = await rpc(url, body, headers);
      expect({ body, code: answer.body.error?.code }).toEqual({ body, code });
      expect(answer.body.error!.message.length).toBeGreaterThan(10);
      expect(answer.body.jsonrpc).toBe('2.0');
    }
  });

  it('refuses a body over the limit with a JSON-RPC error', async () => {
    const { rpc: url, host } = await startRpcHost();
    const big = JSON.stringify(send({ message: msg({ parts: [{ text: 'x'.repeat(host.config.bodyLimit) }] }) }));
    const answer = await rpc(url, big);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: -32600 });
    expect(answer.body.error!.message).toContain('limit');
  });

  it('accepts application/a2a+json and either A2A-Version for either dialect', async () => {
    const { rpc: url } = await startRpcHost();
    const v1 = await rpc(url, send({ message: msg() }), { 'content-type': 'application/a2a+json', 'a2a-version': '0.3' });
    expect(v1.body.result?.task).toBeDefined();
    const legacy = await rpc(url, { jsonrpc: '2.0', id: 2, method: 'message/send', params: { message: { parts: [{ kind: 'text', text: 'hi' }] } } }, { 'a2a-version': '1.0' });
    expect(legacy.body.result).toMatchObject({ kind: 'task', status: { state: 'completed' } });
  });

  it('cancel of a completed task is -32002; a message to it is -32004', async () => {
    const { rpc: url } = await startRpcHost();
    const done = await rpc(url, send({ message: msg() }));
    const task = done.body.result!.task as { id: string; contextId: string };
    const cancel = await rpc(url, { jsonrpc: '2.0', id: 2, method: 'CancelTask', params: { id: task.id } });
    expect(cancel.body.error?.code).toBe(-32002);
    const again = await rpc(url, send({ message: msg({ messageId: 'm2', taskId: task.id }) }));
    expect(again.body.error?.code).toBe(-32004);
    const resub = await rpc(url, { jsonrpc: '2.0', id: 3, method: 'SubscribeToTask', params: { id: task.id } });
    expect(resub.body.error?.code).toBe(-32004);
  });

  it('names the registered codebases for an unknown one, and the v1.0 name of a v0.3 field, and stores nothing', async () => {
    const { rpc: url, host } = await startRpcHost();
    const unknown = await rpc(url, send({ message: msg({ metadata: { codebase: 'nowhere' } }) }));
    expect(unknown.body.error!.message).toBe('Unknown codebase "nowhere". No codebase is registered. Register a folder with: codetether codebase add NAME PATH');
    const renamed = await rpc(url, send({ message: msg(), configuration: { pushNotificationConfig: { url: 'https://example.com/hook' } } }));
    expect(renamed.body.error!.message).toBe('configuration.pushNotificationConfig is an A2A v0.3 field; in v1.0 it is configuration.taskPushNotificationConfig.');
    expect(host.tasks.list({ pageSize: 10 }).tasks).toHaveLength(0);
  });
});
