import type { FuzzCase } from './fuzz-case';
import { garbage } from './fuzz-jsonrpc-cases';
import { headerSafe, type Rng } from './fuzz-rng';

const JSON_HEADERS = { 'content-type': 'application/json', 'a2a-version': '1.0' };

/** Every byte percent-encoded (encodeURIComponent throws on the lone surrogates junk holds). */
function percentEncoded(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => '%' + b.toString(16).padStart(2, '0')).join('');
}

/** A path segment that is no task id we stored: junk, percent-encoded junk, traversal, huge. */
function junkSegment(rng: Rng, missing: string): string {
  return rng.pick([
    missing,
    percentEncoded(rng.junk(rng.int(1, 30))),
    '%ZZ',
    '%',
    '%E0%A4%A',
    '..%2F..%2Fetc%2Fpasswd',
    'x'.repeat(rng.int(500, 4000)),
    '%00',
    '__proto__',
    'constructor',
  ]);
}

function body(rng: Rng, bodyLimit: number): { kind: string; body: Buffer | string; chunked?: boolean } {
  const valid = JSON.stringify({ message: { messageId: `fuzz-${rng.int(0, 1e9)}`, role: 'ROLE_USER', parts: [{ text: 'x' }] } });
  switch (rng.int(0, 7)) {
    case 0:
      return { kind: 'truncated JSON', body: valid.slice(0, rng.int(0, valid.length - 1)) };
    case 1:
      return { kind: 'binary', body: rng.bytes(rng.int(1, 2000)) };
    case 2:
      return { kind: 'array or scalar body', body: rng.pick(['[]', '[{}]', '5', '"x"', 'null', 'true', JSON.stringify([JSON.parse(valid)])]) };
    case 3:
      return { kind: 'nested garbage', body: JSON.stringify({ message: garbage(rng, rng.int(2, 7)) }) };
    case 4: {
      const wrong = rng.pick<unknown>([5, 'x', [], null, { messageId: 5, role: 'ROLE_USER', parts: [{ text: 'x' }] }, { messageId: 'm', role: 'ROLE_USER', parts: [5] }, { messageId: 'm', role: 7, parts: [] }]);
      return { kind: 'wrong types', body: JSON.stringify({ message: wrong }) };
    }
    case 5:
      return { kind: 'deep nesting', body: '{"message":'.repeat(rng.int(2000, 20000)) + '1' + '}'.repeat(20000) };
    case 6:
      return { kind: 'oversized body', body: JSON.stringify({ message: { messageId: 'big', role: 'ROLE_USER', parts: [{ text: 'x'.repeat(rng.int(bodyLimit + 1, bodyLimit * 3)) }] } }), chunked: rng.chance(0.5) };
    default:
      return { kind: 'unicode junk', body: `{"message":{"messageId":"${rng.junk(10)}","role":"${rng.junk(6)}","parts":[{"text":"${rng.junk(10)}"}]}}` };
  }
}

/** Generators of malformed requests to the HTTP+JSON binding under /v1. */
export function restCase(rng: Rng, missing: string, bodyLimit: number): FuzzCase {
  const base = (kind: string, method: string, path: string, extra: Partial<FuzzCase> = {}): FuzzCase => ({
    kind,
    method,
    path,
    headers: { ...JSON_HEADERS },
    expect: 'rest',
    ...extra,
  });
  const id = junkSegment(rng, missing);
  switch (rng.int(0, 9)) {
    case 0:
    case 1:
    case 2: {
      const b = body(rng, bodyLimit);
      return base(`message:send ${b.kind}`, 'POST', rng.pick(['/v1/message:send', '/v1/message:stream']), { body: b.body, chunked: b.chunked });
    }
    case 3: {
      const type = rng.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', headerSafe(rng.junk(8))]);
      const valid = JSON.stringify({ message: { messageId: `fuzz-${rng.int(0, 1e9)}`, role: 'ROLE_USER', parts: [{ text: 'x' }] } });
      return base('wrong content type', 'POST', '/v1/message:send', { body: valid, headers: { 'content-type': type, 'a2a-version': '1.0' } });
    }
    case 4:
      return base('unknown task', rng.pick(['GET', 'GET', 'POST']), rng.pick([`/v1/tasks/${id}`, `/v1/tasks/${id}:cancel`, `/v1/tasks/${id}:subscribe`]));
    case 5: {
      const query = rng.pick([
        'pageSize=-1',
        'pageSize=abc',
        'pageSize=1e12',
        'pageSize=1.5',
        'pageToken=garbage!!',
        'status=TASK_STATE_NOPE',
        'status=7',
        'historyLength=-3',
        'historyLength=x',
        'statusTimestampAfter=yesterday',
        'includeArtifacts=maybe',
        'pageSize=%ZZ',
      ]);
      return base('bad list query', 'GET', `/v1/tasks?${query}`);
    }
    case 6: {
      const b = body(rng, bodyLimit);
      const target = rng.pick([`/v1/tasks/${id}/pushNotificationConfigs`, `/v1/tasks/${id}/pushNotificationConfigs/${junkSegment(rng, 'cfg')}`]);
      const method = target.endsWith('Configs') ? rng.pick(['POST', 'GET']) : rng.pick(['GET', 'DELETE']);
      return base(`push config ${b.kind}`, method, target, method === 'POST' ? { body: b.body, chunked: b.chunked } : {});
    }
    case 7:
      return base('wrong method', rng.pick(['PUT', 'PATCH', 'DELETE']), rng.pick(['/v1/message:send', '/v1/tasks', `/v1/tasks/${missing}`, `/v1/tasks/${missing}:cancel`]));
    case 8:
      return base('bad A2A-Version', 'GET', `/v1/tasks/${missing}`, { headers: { 'a2a-version': rng.pick(['9.9', 'latest', '0.3', headerSafe(rng.junk(5))]) } });
    default:
      return base('bad historyLength', 'GET', `/v1/tasks/${missing}?historyLength=${rng.pick(['-1', 'x', '1.5', '%ZZ', '99999999999999999999'])}`);
  }
}
