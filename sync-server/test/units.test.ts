import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocPath } from '../names';
import { decodeMessage, encodeAwareness, encodeSyncStep1, encodeUpdate, ProtocolError } from '../protocol';
import { createRateLimiter } from '../rate-limit';

describe('parseDocPath', () => {
  it('accepts /<workspace>/<doc> and nothing else', () => {
    expect(parseDocPath('/acme/session-1')).toEqual({ name: 'acme/session-1', workspace: 'acme' });
    expect(parseDocPath('/acme/idx%3Amain')).toEqual({ name: 'acme/idx:main', workspace: 'acme' });
    for (const bad of ['/', '/acme', '/acme/', '/acme/a/b', '/acme/..', '/../acme', '/acme/a%2Fb', '/ac%ZZ/x', 'acme/x', '/acme/' + 'd'.repeat(201)]) {
      expect(parseDocPath(bad), bad).toBeUndefined();
    }
  });
});

describe('decodeMessage', () => {
  it('reads the messages a y-websocket provider sends', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'x');
    const update = Y.encodeStateAsUpdate(doc);
    expect(decodeMessage(encodeSyncStep1(Y.encodeStateVector(doc)))).toMatchObject({ kind: 'sync-step1' });
    expect(decodeMessage(encodeUpdate(update))).toEqual({ kind: 'update', update });
    expect(decodeMessage(encodeAwareness(new Uint8Array([1, 2])))).toEqual({ kind: 'awareness', update: new Uint8Array([1, 2]) });
    expect(decodeMessage(new Uint8Array([3]))).toEqual({ kind: 'query-awareness' });
  });

  it('throws ProtocolError for truncated, unknown or padded frames', () => {
    for (const bad of [[], [0], [0, 9, 0], [0, 2, 5, 1], [7], [3, 0], [1, 3, 1]]) {
      expect(() => decodeMessage(new Uint8Array(bad)), JSON.stringify(bad)).toThrow(ProtocolError);
    }
  });
});

describe('createRateLimiter', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0;
    const limiter = createRateLimiter(10, 3, () => now);
    expect([limiter.take(), limiter.take(), limiter.take(), limiter.take()]).toEqual([true, true, true, false]);
    now += 100;
    expect([limiter.take(), limiter.take()]).toEqual([true, false]);
    now += 10_000;
    expect([limiter.take(), limiter.take(), limiter.take(), limiter.take()]).toEqual([true, true, true, false]);
  });
});
