import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createHookRepository } from '../../main/store/hook-repository';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { tempDir } from '../support/temp-dir';

function open() {
  const db = openDatabase(join(tempDir(), 'codetether.db'));
  onTestFinished(() => closeDatabase(db));
  const repo = createHookRepository(db);
  for (const id of ['a', 'b']) {
    repo.insertSubscription({ id, event: 'task.created', target_url: `https://example.com/${id}`, filter_json: null, created_by: 'local', created_at: 1 });
  }
  return { db, repo };
}

describe('hook repository', () => {
  it('sends a subscription\'s rows in order, one at a time, while other subscriptions go on', () => {
    const { repo } = open();
    repo.enqueue(['a', 'b'], 't1.1', '{"n":1}', 100);
    repo.enqueue(['a'], 't2.1', '{"n":2}', 100);
    expect(repo.due(100, 10).map((r) => [r.hook_id, r.event_id])).toEqual([['a', 't1.1'], ['b', 't1.1']]);
    const [first] = repo.due(100, 1);
    repo.claim(first!.id, 5000);
    repo.retry(first!.id, 200, 'HTTP 500');
    // a's second row waits behind its first, which is not due until 200.
    expect(repo.due(150, 10).map((r) => [r.hook_id, r.event_id])).toEqual([['b', 't1.1']]);
    expect(repo.nextDue()).toBe(100);
    repo.sent(first!.id);
    expect(repo.due(150, 10).map((r) => [r.hook_id, r.event_id])).toEqual([['b', 't1.1'], ['a', 't2.1']]);
  });

  it('never queues an occurrence twice for one subscription, whether it is pending, sent or given up, until pruned', () => {
    const { repo } = open();
    expect(repo.enqueue(['a', 'b'], 't1.1', '{}', 100)).toBe(2);
    const [rowA, rowB] = repo.due(100, 10);
    repo.sent(rowA!.id);
    repo.dead(rowB!.id, 'HTTP 404');
    expect(repo.enqueue(['a', 'b'], 't1.1', '{}', 300)).toBe(0);
    expect(repo.outbox('a')).toEqual([]);
    expect(repo.outbox('b')).toMatchObject([{ event_id: 't1.1', state: 'dead', last_error: 'HTTP 404' }]);
    expect(repo.prune(101, 50)).toBe(1);
    expect(repo.enqueue(['a', 'b'], 't1.1', '{}', 300)).toBe(1);
    expect(repo.prune(1000, 1000)).toBe(1);
    expect(repo.outbox('a')).toMatchObject([{ state: 'pending' }]);
  });

  it('drops a deleted subscription\'s rows with it, and keeps the catch-up window in settings', () => {
    const { repo, db } = open();
    repo.enqueue(['a', 'b'], 't1.1', '{}', 100);
    expect(repo.deleteSubscription('a')).toBe(true);
    expect(repo.deleteSubscription('a')).toBe(false);
    expect(db.prepare('SELECT hook_id FROM hook_outbox').pluck().all()).toEqual(['b']);
    expect(repo.enqueue(['a'], 't2.1', '{}', 100)).toBe(0);
    expect(repo.scanFrom()).toBeUndefined();
    repo.setScanFrom(1234);
    expect(repo.scanFrom()).toBe(1234);
  });
});
