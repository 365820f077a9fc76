import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCommitBatcher } from '../../main/store/commit-batcher';
import { tempDir } from '../support/temp-dir';

function setup() {
  const file = join(tempDir(), 'db.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v INTEGER)');
  const reader = new Database(file, { readonly: true });
  const count = () => reader.prepare('SELECT count(*) FROM t').pluck().get() as number;
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  return { db, reader, count, insert };
}

describe('group commit', () => {
  it('commits every write of one turn together, and only then runs the after-commit callbacks', async () => {
    const { db, count, insert } = setup();
    const batch = createCommitBatcher(db, () => {});
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      batch.run(() => insert.run(i));
      batch.afterCommit(() => seen.push(count()));
    }
    expect(count()).toBe(0);
    expect(seen).toEqual([]);
    await batch.durable();
    expect(count()).toBe(5);
    expect(seen).toEqual([5, 5, 5, 5, 5]);
    db.close();
  });

  it('undoes only the failing unit of work', async () => {
    const { db, count, insert } = setup();
    const batch = createCommitBatcher(db, () => {});
    batch.run(() => insert.run(1));
    expect(() =>
      batch.run(() => {
        insert.run(2);
        throw new Error('refused');
      }),
    ).toThrow('refused');
    batch.run(() => insert.run(3));
    await batch.durable();
    expect(count()).toBe(2);
    db.close();
  });

  it('says a batch is pending from its first write until its commit, callbacks included', async () => {
    const { db, insert } = setup();
    const batch = createCommitBatcher(db, () => {});
    expect(batch.pending()).toBe(false);
    batch.run(() => insert.run(1));
    expect(batch.pending()).toBe(true);
    let inCallback: boolean | undefined;
    batch.afterCommit(() => (inCallback = batch.pending()));
    await batch.durable();
    expect(inCallback).toBe(false);
    expect(batch.pending()).toBe(false);
    db.close();
  });

  it('runs a callback at once, and resolves durable at once, when nothing is pending', async () => {
    const { db } = setup();
    const batch = createCommitBatcher(db, () => {});
    let called = false;
    batch.afterCommit(() => (called = true));
    expect(called).toBe(true);
    await expect(batch.durable()).resolves.toBeUndefined();
    db.close();
  });

  it('reports a failed commit, rejects its waiters and drops its callbacks', async () => {
    const { db, insert, count } = setup();
    const errors: unknown[] = [];
    const batch = createCommitBatcher(db, (err) => errors.push(err));
    batch.run(() => insert.run(1));
    let called = false;
    batch.afterCommit(() => (called = true));
    const waiting = batch.durable();
    // A deferred foreign key violation only shows at COMMIT: the one way to make a commit fail here.
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    db.prepare('INSERT INTO child (p) VALUES (42)').run();
    await expect(waiting).rejects.toThrow(/FOREIGN KEY/);
    expect(errors).toHaveLength(1);
    expect(called).toBe(false);
    expect(count()).toBe(0);
    expect(db.inTransaction).toBe(false);
    db.close();
  });

  it('tells every unit of a failed commit it was lost, reports the store degraded, and probes until a commit succeeds', async () => {
    const { db, insert, count } = setup();
    db.exec('CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL)');
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    const batch = createCommitBatcher(db, () => {}, { probeMs: 20 });
    expect(batch.health()).toEqual({ ok: true });
    const lost: string[] = [];
    let committed = 0;
    batch.run(() => insert.run(1));
    batch.afterCommit(() => committed++, (err) => lost.push(`a: ${(err as Error).message}`));
    batch.run(() => db.prepare('INSERT INTO child (p) VALUES (42)').run());
    batch.afterCommit(() => committed++, (err) => lost.push(`b: ${(err as Error).message}`));
    await expect(batch.durable()).rejects.toThrow(/FOREIGN KEY/);
    expect(lost).toEqual(['a: FOREIGN KEY constraint failed', 'b: FOREIGN KEY constraint failed']);
    expect(committed).toBe(0);
    expect(count()).toBe(0);
    expect(batch.health()).toMatchObject({ ok: false, reason: 'FOREIGN KEY constraint failed' });
    // Nothing else writes: the batcher's own probe finds that commits work again.
    const deadline = Date.now() + 5_000;
    while (!batch.health().ok) {
      if (Date.now() > deadline) throw new Error('health did not come back');
      await new Promise((r) => setTimeout(r, 20));
    }
    batch.run(() => insert.run(2));
    await batch.durable();
    expect(count()).toBe(1);
    db.close();
  });

  it('commits at once on flush', () => {
    const { db, count, insert } = setup();
    const batch = createCommitBatcher(db, () => {});
    batch.run(() => insert.run(1));
    batch.flush();
    expect(count()).toBe(1);
    db.close();
  });
});
