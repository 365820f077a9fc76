import type { FuzzCase } from './fuzz-case';
import { headerSafe, type Rng } from './fuzz-rng';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const JSON_HEADERS = { 'content-type': 'application/json', 'a2a-version': '1.0' };
const PATHS = ['/a2a', '/v1/a2a'];
const HOOK = 'http://127.0.0.1:9/hook';

function sendParams(rng: Rng): Json {
  return { message: { messageId: `fuzz-${rng.int(0, 1e9)}`, role: 'ROLE_USER', parts: [{ text: 'fuzz' }] } };
}

/** A well-formed request per method. Those naming a task use ids that do not exist. */
const templates: Record<string, (rng: Rng, missing: string) => Json> = {
  SendMessage: sendParams,
  SendStreamingMessage: sendParams,
  GetTask: (_r, id) => ({ id, historyLength: 2 }),
  CancelTask: (_r, id) => ({ id }),
  SubscribeToTask: (_r, id) => ({ id }),
  ListTasks: () => ({ pageSize: 5, status: 'TASK_STATE_COMPLETED' }),
  CreateTaskPushNotificationConfig: (_r, id) => ({ taskId: id, url: HOOK, token: 't' }),
  GetTaskPushNotificationConfig: (_r, id) => ({ taskId: id, id: 'cfg' }),
  ListTaskPushNotificationConfigs: (_r, id) => ({ taskId: id }),
  DeleteTaskPushNotificationConfig: (_r, id) => ({ taskId: id, id: 'cfg' }),
  'message/send': (rng) => ({ message: { kind: 'message', messageId: `fuzz-${rng.int(0, 1e9)}`, role: 'user', parts: [{ kind: 'text', text: 'x' }] } }),
  'tasks/get': (_r, id) => ({ id }),
  'tasks/cancel': (_r, id) => ({ id }),
  'tasks/pushNotificationConfig/get': (_r, id) => ({ id }),
};

/**
 * Fields and values of the wrong type (or out of range) for them. Every value here makes the
 * request malformed by the spec's ProtoJSON rules, so any answer but an error is a finding.
 */
const wrongValues: { method: string; path: Path; values: Json[] }[] = [
  { method: 'SendMessage', path: ['params', 'message'], values: ['m', 5, true, [], null] },
  { method: 'SendMessage', path: ['params', 'message', 'messageId'], values: [5, true, {}, [], null, ''] },
  { method: 'SendMessage', path: ['params', 'message', 'role'], values: ['ROLE_ROBOT', 'ROLE_AGENT', 7, true, {}, [], null, ''] },
  { method: 'SendMessage', path: ['params', 'message', 'parts'], values: ['p', 5, {}, [], null, [[]], [5], ['x'], [null]] },
  { method: 'SendMessage', path: ['params', 'message', 'parts', 0], values: [{}, { text: 5 }, { text: null }, { raw: 5 }, { url: 5 }] },
  { method: 'SendMessage', path: ['params', 'message', 'parts', 0, 'text'], values: [5, true, {}, [], null] },
  { method: 'SendMessage', path: ['params', 'message', 'contextId'], values: [5, true, {}, []] },
  { method: 'SendMessage', path: ['params', 'message', 'taskId'], values: [5, true, {}, [], 'no-such-task'] },
  { method: 'SendMessage', path: ['params', 'message', 'metadata'], values: ['x', 5, true, []] },
  { method: 'SendMessage', path: ['params', 'message', 'referenceTaskIds'], values: ['x', 5, {}, [5]] },
  { method: 'SendMessage', path: ['params', 'message', 'extensions'], values: ['x', 5, {}, [5]] },
  { method: 'SendMessage', path: ['params', 'configuration'], values: ['x', 5, true, []] },
  { method: 'SendMessage', path: ['params', 'configuration', 'historyLength'], values: [-1, 1.5, 'x', true, {}, []] },
  { method: 'SendMessage', path: ['params', 'configuration', 'acceptedOutputModes'], values: ['x', 5, {}, [5]] },
  { method: 'SendMessage', path: ['params', 'configuration', 'returnImmediately'], values: ['yes', 5, {}, []] },
  { method: 'SendMessage', path: ['params', 'metadata'], values: ['x', 5, true, []] },
  { method: 'ListTasks', path: ['params', 'pageSize'], values: [-1, 1.5, 'x', true, {}, 1e12] },
  { method: 'ListTasks', path: ['params', 'pageToken'], values: [5, {}, 'not-a-token', '%%%'] },
  { method: 'ListTasks', path: ['params', 'status'], values: ['TASK_STATE_NOPE', 99, {}, true] },
  { method: 'ListTasks', path: ['params', 'historyLength'], values: [-5, 2.5, 'x', {}] },
  { method: 'ListTasks', path: ['params', 'statusTimestampAfter'], values: ['yesterday', 5, {}, '2020-13-45T99:99:99Z'] },
  { method: 'ListTasks', path: ['params', 'includeArtifacts'], values: ['yes', 5, {}] },
  { method: 'ListTasks', path: ['params', 'contextId'], values: [5, {}, []] },
  { method: 'GetTask', path: ['params', 'id'], values: [5, {}, [], null, '', true] },
  { method: 'GetTask', path: ['params', 'historyLength'], values: [-1, 'x', 1.5] },
  { method: 'CreateTaskPushNotificationConfig', path: ['params', 'url'], values: ['not a url', 5, '', {}] },
  { method: 'SendStreamingMessage', path: ['params', 'message', 'parts'], values: ['p', 5, {}, [], null, [5]] },
  { method: 'SendStreamingMessage', path: ['params', 'message', 'role'], values: ['ROLE_ROBOT', 7, null] },
  { method: 'message/send', path: ['params', 'message', 'parts'], values: ['p', 5, {}, [], [5], [{ kind: 'text', text: 5 }], [{ kind: 'nope' }], [{ kind: 'file', file: 5 }], [{ kind: 'data', data: 'x' }]] },
  { method: 'message/send', path: ['params', 'message', 'role'], values: ['robot', 7, {}] },
  { method: 'message/send', path: ['params', 'message', 'messageId'], values: [5, {}, []] },
  { method: 'message/send', path: ['params', 'configuration', 'historyLength'], values: [-1, 'x', 1.5] },
  { method: 'tasks/get', path: ['params', 'id'], values: [5, {}, [], null, ''] },
];

function setPath(target: Json, path: Path, value: Json): void {
  let cur = target as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) cur = (cur[key] ??= {}) as Record<string | number, Json>;
  cur[path.at(-1)!] = value;
}

function request(rng: Rng, method: string, missing: string, id: Json = rng.int(1, 1e6)): { [key: string]: Json } {
  return { jsonrpc: '2.0', id, method, params: templates[method]!(rng, missing) };
}

/** Random JSON of random depth, with keys that trip naive object handling. */
export function garbage(rng: Rng, depth: number): Json {
  const keys = ['__proto__', 'constructor', 'prototype', 'toString', 'id', 'message', 'parts', '', rng.junk(3)];
  switch (depth <= 0 ? rng.int(0, 3) : rng.int(0, 5)) {
    case 0:
      return rng.pick([null, true, false, 0, -1, 1e308, -0.5, 2 ** 63]);
    case 1:
      return rng.junk(rng.int(0, 20));
    case 2:
      return '';
    case 3:
      return rng.int(-1e9, 1e9);
    case 4:
      return Array.from({ length: rng.int(0, 4) }, () => garbage(rng, depth - 1));
    default: {
      const out: { [key: string]: Json } = {};
      for (let i = rng.int(0, 4); i > 0; i--) out[rng.pick(keys)] = garbage(rng, depth - 1);
      return out;
    }
  }
}

function deep(depth: number, open: string, close: string, core = '1'): string {
  return open.repeat(depth) + core + close.repeat(depth);
}

/** Generators of malformed JSON-RPC requests to POST /a2a and /v1/a2a. */
export function jsonRpcCase(rng: Rng, missing: string, bodyLimit: number): FuzzCase {
  const path = rng.pick(PATHS);
  const method = rng.pick(Object.keys(templates));
  const base = (kind: string, body: Buffer | string, extra: Partial<FuzzCase> = {}): FuzzCase => ({
    kind,
    method: 'POST',
    path,
    headers: { ...JSON_HEADERS },
    body,
    expect: 'jsonrpc',
    ...extra,
  });
  switch (rng.int(0, 13)) {
    case 0: {
      const text = JSON.stringify(request(rng, method, missing));
      return base('truncated JSON', text.slice(0, rng.int(0, text.length - 1)));
    }
    case 1:
    case 2: {
      const target = rng.pick(wrongValues);
      const id = rng.int(1, 1e6);
      const body = request(rng, target.method, missing, id);
      setPath(body, target.path, rng.pick(target.values));
      return base(`wrong type ${target.method} ${target.path.join('.')}`, JSON.stringify(body), { id });
    }
    case 3: {
      const name = rng.pick(['sendMessage', 'SENDMESSAGE', 'rpc.discover', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'tasks/list', 'message/Send', rng.junk(rng.int(1, 30)), 'x'.repeat(5000)]);
      const id = rng.int(1, 1e6);
      return base('unknown method', JSON.stringify({ jsonrpc: '2.0', id, method: name, params: {} }), { id });
    }
    case 4: {
      const valid = rng.pick<string | number>(['i'.repeat(rng.int(1000, 20000)), 2 ** 53 + 2, -(2 ** 62), 1e300, 0, rng.junk(50)]);
      return base('huge id', JSON.stringify({ jsonrpc: '2.0', id: valid, method: 'NoSuchMethod', params: {} }), { id: valid });
    }
    case 5: {
      const invalid = rng.pick<Json>([1.5, true, {}, [], { a: 1 }, [1], -0.25]);
      return base('invalid id', JSON.stringify({ jsonrpc: '2.0', id: invalid, method, params: templates[method]!(rng, missing) }));
    }
    case 6: {
      // Only methods that cannot succeed without real params, and only where the garbage
      // replaces something required, so any success answer is a finding.
      const target = rng.pick(['SendMessage', 'SendStreamingMessage', 'GetTask', 'CancelTask', 'message/send', 'tasks/get']);
      const id = rng.int(1, 1e6);
      const body = request(rng, target, missing, id);
      const inMessage = target.includes('essage') && rng.chance(0.5);
      if (inMessage) setPath(body, ['params', 'message'], garbage(rng, rng.int(2, 8)));
      else body.params = { garbage: garbage(rng, rng.int(2, 8)) };
      return base(`nested garbage in ${target} ${inMessage ? 'params.message' : 'params'}`, JSON.stringify(body), { id });
    }
    case 7: {
      const type = rng.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json-patch+json', 'image/png', headerSafe(rng.junk(10))]);
      return base('wrong content type', JSON.stringify(request(rng, 'GetTask', missing)), { headers: { 'content-type': type, 'a2a-version': '1.0' } });
    }
    case 8:
      return base('binary', rng.bytes(rng.int(1, 3000)));
    case 9:
      return base('empty body', rng.pick(['', ' ', '\n', 'null', '""', '0', 'true']));
    case 10: {
      const arrays = ['[]', '[1,2]', '[[]]', JSON.stringify([request(rng, method, missing)]), JSON.stringify([request(rng, 'SendMessage', missing), {}])];
      return base('array body', rng.pick(arrays));
    }
    case 11: {
      const depth = rng.int(2000, Math.min(30000, Math.floor(bodyLimit / 2.5)));
      const variants = [
        deep(depth, '[', ']'),
        deep(depth, '{"a":', '}'),
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: 'm', role: 'ROLE_USER', parts: [{ text: 'x' }] }, metadata: 0 } }).replace('"metadata":0', `"metadata":${deep(depth, '{"a":', '}')}`),
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: 'm', role: 'ROLE_USER', parts: [{ data: 0 }] } } }).replace('"data":0', `"data":${deep(depth, '[', ']')}`),
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: 0 }).replace('"params":0', `"params":${deep(depth, '{"id":', '}', '"x"')}`),
      ];
      // Deep metadata or data is valid JSON a server may store; it must just not break it.
      return base('deep nesting', rng.pick(variants), { mayAccept: true });
    }
    case 12: {
      const size = rng.int(bodyLimit + 1, bodyLimit * 3);
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: 'big', role: 'ROLE_USER', parts: [{ text: 'x'.repeat(size) }] } } });
      return base('oversized body', body, { chunked: rng.chance(0.5) });
    }
    default: {
      const id = rng.int(1, 1e6);
      const variants: [string, Buffer | string, Partial<FuzzCase>][] = [
        ['unicode method', JSON.stringify({ jsonrpc: '2.0', id, method: rng.junk(rng.int(1, 40)), params: {} }), { id }],
        ['unicode jsonrpc', JSON.stringify({ jsonrpc: `2.0${rng.pick(['\u0000', '\u200b', '\ufeff', '\ud800'])}`, id, method, params: {} }), {}],
        ['BOM before JSON', '\ufeff' + JSON.stringify(request(rng, method, missing)), {}],
        ['invalid UTF-8 in method', Buffer.concat([Buffer.from(`{"jsonrpc":"2.0","id":${id},"method":"Send`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('","params":{}}')]), { id }],
        ['unicode role', JSON.stringify({ jsonrpc: '2.0', id, method: 'SendMessage', params: { message: { messageId: 'u', role: rng.junk(8), parts: [{ text: rng.junk(20) }] } } }), { id }],
        ['unicode A2A-Version', JSON.stringify(request(rng, 'GetTask', missing, id)), { id, headers: { 'content-type': 'application/json', 'a2a-version': rng.pick(['9.9', '2.0', 'latest', '1.0.0.0.1', 'v1']) } }],
      ];
      const [kind, body, extra] = rng.pick(variants);
      return base(kind, body, extra);
    }
  }
}
