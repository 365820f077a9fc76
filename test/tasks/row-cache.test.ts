import { describe, expect, it } from 'vitest';
import type { TaskRow } from '../../main/store/task-repository';
import { createRowCache } from '../../main/tasks/row-cache';

const row = (id: string, state: string, last_seq: number): TaskRow => ({
  id, context_id: 'c', agent: 'echo', state, status_json: '{}', metadata_json: null, last_seq, attempts: 1, created_at: 1, updated_at: 1,
});

describe('row cache', () => {
  it('serves a row only once the commit that wrote it is remembered, as a copy', () => {
    const cache = createRowCache();
    const remember = cache.wrote([row('t1', 'submitted', 1)]);
    expect(cache.get('t1')).toBeUndefined();
    remember();
    const copy = cache.get('t1')!;
    expect(copy.last_seq).toBe(1);
    copy.last_seq = 99;
    expect(cache.get('t1')!.last_seq).toBe(1);
  });

  it('keeps the last of several units of one batch, and reads through while a later unit is open', () => {
    const cache = createRowCache();
    const first = cache.wrote([row('t1', 'working', 2)]);
    const second = cache.wrote([row('t1', 'working', 3)]);
    first();
    expect(cache.get('t1')).toBeUndefined();
    second();
    expect(cache.get('t1')!.last_seq).toBe(3);
    cache.wrote([row('t1', 'working', 4)]);
    expect(cache.get('t1')).toBeUndefined();
  });

  it('forgets a task that stops running, and a batch that never committed leaves the committed row', () => {
    const cache = createRowCache();
    cache.wrote([row('t1', 'working', 2), row('t2', 'working', 2)])();
    cache.wrote([row('t1', 'input-required', 3)])();
    cache.wrote([row('t2', 'completed', 3)]);
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')).toBeUndefined();
    cache.batchClosed();
    expect(cache.get('t2')!.last_seq).toBe(2);
  });
});
