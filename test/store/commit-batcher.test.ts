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

  it('commits at once on flush', () => {
    const { db, count, insert } = setup();
    const batch = createCommitBatcher(db, () => {});
    batch.run(() => insert.run(1));
    batch.flush();
    expect(count()).toBe(1);
    db.close();
  });
});
