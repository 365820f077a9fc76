import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startRestHost } from './rest-support';

interface Answer {
  status: number;
  headers: Headers;
  body: { error: { code: number; status: string; message: string; details: { '@type': string; reason: string; domain: string }[] } };
}

async function call(url: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** The spec's REST error: google.rpc.Status with an ErrorInfo naming the A2A reason, as application/json. */
function expectError(answer: Answer, status: number, statusName: string, reason?: string, message?: RegExp) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(answer.body.error.code).toBe(status);
  expect(answer.body.error.status).toBe(statusName);
  expect(typeof answer.body.error.message).toBe('string');
  if (message) expect(answer.body.error.message).toMatch(message);
  if (reason) {
    expect(answer.body.error.details).toEqual([{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'a2a-protocol.org' }]);
  } else {
    expect(answer.body.error.details).toEqual([]);
  }
}

const message = (extra: Record<string, unknown> = {}) => ({ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'hi' }], ...extra });
const post = (body: unknown) => ({ method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('HTTP+JSON errors in the spec\'s REST shape', () => {
  it('refuses malformed and mistyped bodies with 400 INVALID_ARGUMENT', async () => {
    const { rest } = await startRestHost();
    const send = `${rest}/message:send`;
    expectError(await call(send, post('{"message": ')), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /not valid JSON/);
    expectError(await call(send, post('')), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /empty/);
    expectError(await call(send, post([1, 2])), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /JSON object, not an array/);
    expectError(await call(send, post({})), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /message/);
    expectError(await call(send, post({ message: 'hello' })), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /message must be a JSON object, not string/);
    expectError(await call(send, post({ message: message({ role: 'ROLE_WIZARD' }) })), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /role/);
    expectError(await call(send, post({ message: message({ parts: 'hi' }) })), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /parts/);
    expectError(
      await call(send, post({ message: message(), configuration: { historyLength: 'lots' } })),
      400,
      'INVALID_ARGUMENT',
      'INVALID_PARAMS',
      /historyLength/,
    );
  });

  it('refuses fields of the wrong type instead of coercing them', async () => {
    const { rest } = await startRestHost();
    const send = `${rest}/message:send`;
    const bad = async (body: unknown, pattern: RegExp) => expectError(await call(send, post(body)), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', pattern);
    await bad({ message: message({ messageId: 5 }) }, /message\.messageId must be a string, not number 5/);
    await bad({ message: message({ metadata: true }) }, /message\.metadata must be a JSON object/);
    await bad({ message: message({ parts: [5] }) }, /message\.parts\[0\] must be a JSON object/);
    await bad({ message: message({ parts: [{ text: 'a', data: { b: 1 } }] }) }, /exactly one of/);
    await bad({ message: message({ referenceTaskIds: 'abc' }) }, /referenceTaskIds must be an array/);
    await bad({ message: message(), configuration: { returnImmediately: 'no' } }, /returnImmediately must be true or false/);
    await bad({ message: message(), configuration: { accepted_output_modes: [1] } }, /accepted_output_modes\[0\] must be a string/);
    await bad({ message: message(), metadata: [] }, /^metadata must be a JSON object, not an array/);
    const deep = '{"message":'.repeat(5000) + '1' + '}'.repeat(5000);
    await bad(deep, /deeper than 64/);
    const nestedData = { message: message({ parts: [{ data: JSON.parse('['.repeat(500) + ']'.repeat(500)) }] }) };
    await bad(nestedData, /deeper than 64/);
    // Fields this version does not know are let through.
    expect((await call(send, post({ message: message({ futureField: { x: 1 } }), alsoNew: 1 }))).status).toBe(200);
  });

  it('refuses a path with malformed percent-encoding in the same shape', async () => {
    const { rest } = await startRestHost();
    expectError(await call(`${rest}/tasks/%E0%A4%A`), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /percent-encoding/);
    expectError(await call(`${rest}/tasks/%ZZ:cancel`, { method: 'POST' }), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /percent-encoding/);
  });

  it('answers a bad streaming request with a plain error, not an event stream', async () => {
    const { rest } = await startRestHost();
    const answer = await call(`${rest}/message:stream`, post({ message: message({ role: 'ROLE_AGENT' }) }));
    expectError(answer, 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /ROLE_USER/);
    expectError(await call(`${rest}/tasks/nope:subscribe`), 404, 'NOT_FOUND', 'TASK_NOT_FOUND');
    expectError(await call(`${rest}/tasks/nope:subscribe`, { method: 'POST' }), 404, 'NOT_FOUND', 'TASK_NOT_FOUND');
  });

  it('maps task failures: unknown task 404, not cancelable 409, finished task 400 UNIMPLEMENTED', async () => {
    const { rest } = await startRestHost();
    expectError(await call(`${rest}/tasks/no-such-task`), 404, 'NOT_FOUND', 'TASK_NOT_FOUND', /no-such-task/);
    expectError(await call(`${rest}/tasks/no-such-task:cancel`, { method: 'POST' }), 404, 'NOT_FOUND', 'TASK_NOT_FOUND');

    const sent = await call(`${rest}/message:send`, post({ message: message() }));
    expect(sent.status).toBe(200);
    expect(sent.headers.get('content-type')).toBe('application/json');
    const task = (sent.body as unknown as { task: { id: string; status: { state: string } } }).task;
    expect(task.status.state).toBe('TASK_STATE_COMPLETED');

    expectError(await call(`${rest}/tasks/${task.id}:cancel`, { method: 'POST' }), 409, 'FAILED_PRECONDITION', 'TASK_NOT_CANCELABLE');
    expectError(
      await call(`${rest}/message:send`, post({ message: message({ taskId: task.id }) })),
      400,
      'UNIMPLEMENTED',
      'UNSUPPORTED_OPERATION',
    );
  });

  it('refuses other request content types with ContentTypeNotSupported, 415', async () => {
    const { rest } = await startRestHost();
    const answer = await call(`${rest}/message:send`, { ...post({ message: message() }), headers: { 'content-type': 'text/plain' } });
    expectError(answer, 415, 'INVALID_ARGUMENT', 'CONTENT_TYPE_NOT_SUPPORTED', /text\/plain/);
    const a2a = await call(`${rest}/message:send`, { ...post({ message: message() }), headers: { 'content-type': 'application/a2a+json; charset=utf-8' } });
    expect(a2a.status).toBe(200);
    const bare = await fetch(`${rest}/message:send`, { method: 'POST', body: new Blob([JSON.stringify({ message: message() })]) });
    expect(bare.status).toBe(200);
  });

  it('refuses a body over the limit with 413 in the same shape', async () => {
    const { rest } = await startRestHost({ bodyLimit: 2048 });
    const answer = await call(`${rest}/message:send`, post({ message: message({ parts: [{ text: 'x'.repeat(4096) }] }) }));
    expectError(answer, 413, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /2048-byte limit/);
  });

  it('answers unknown routes under /v1 with 404 and wrong methods with 405, in the same shape', async () => {
    const { rest } = await startRestHost();
    expectError(await call(`${rest}/nothing-here`), 404, 'NOT_FOUND', undefined, /No HTTP\+JSON route/);
    expectError(await call(`${rest}/tasks/a/b/c`), 404, 'NOT_FOUND');
    expectError(await call(`${rest}/tasks/a:explode`, { method: 'POST' }), 404, 'NOT_FOUND');
    const wrong = await call(`${rest}/message:send`, { method: 'GET' });
    expectError(wrong, 405, 'UNIMPLEMENTED', undefined, /use POST/);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await call(`${rest}/tasks/x`, { method: 'DELETE' })).headers.get('allow')).toBe('GET');
  });

  it('accepts A2A-Version 1.0 or none, and refuses others with VersionNotSupported', async () => {
    const { rest } = await startRestHost();
    expect((await call(`${rest}/tasks`, { headers: { 'a2a-version': '1.0' } })).status).toBe(200);
    expect((await call(`${rest}/tasks`)).status).toBe(200);
    expectError(await call(`${rest}/tasks`, { headers: { 'a2a-version': '2.0' } }), 400, 'UNIMPLEMENTED', 'VERSION_NOT_SUPPORTED', /"2\.0"/);
    expectError(await call(`${rest}/tasks`, { headers: { 'a2a-version': '0.3' } }), 400, 'UNIMPLEMENTED', 'VERSION_NOT_SUPPORTED', /JSON-RPC/);
  });

  it('checks query parameters and names what is wrong', async () => {
    const { rest } = await startRestHost();
    const bad = async (query: string, pattern: RegExp) => expectError(await call(`${rest}/tasks?${query}`), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', pattern);
    await bad('status=DONE', /TASK_STATE_COMPLETED/);
    await bad('pageSize=ten', /pageSize/);
    await bad('pageSize=0', /1 to 100/);
    await bad('pageSize=101', /1 to 100/);
    await bad('historyLength=-1', /historyLength/);
    await bad('includeArtifacts=yes', /includeArtifacts/);
    await bad('statusTimestampAfter=yesterday', /RFC 3339/);
    await bad('pageToken=garbage', /pageToken/);
    await bad('pagesize=5', /Unknown query parameter "pagesize"/);
    await bad('contextId=a&contextId=b', /twice|2 times/);
    expectError(await call(`${rest}/tasks/x?historyLength=some`), 400, 'INVALID_ARGUMENT', 'INVALID_PARAMS', /historyLength/);
    expectError(
      await call(`${rest}/tasks/x:subscribe`, { headers: { 'last-event-id': 'later' } }),
      400,
      'INVALID_ARGUMENT',
      'INVALID_PARAMS',
      /Last-Event-ID/,
    );
  });

  it('serves the extended card only to a caller with a token', async () => {
    const { rest, host } = await startRestHost();
    expectError(await call(`${rest}/extendedAgentCard`), 401, 'UNAUTHENTICATED', undefined, /Bearer/);
    const created = host.tokens.create({ name: 'rest-test', scopes: ['a2a'] });
    if (!created.ok) throw new Error('token not created');
    const card = await call(`${rest}/extendedAgentCard`, { headers: { authorization: `Bearer ${created.token}` } });
    expect(card.status).toBe(200);
    expect((card.body as unknown as { name: string }).name).toBeTruthy();
  });
});
