import type { Db } from './open';

export interface CommitBatcher {
  /**
   * Runs `fn` inside the batch open for this turn of the event loop (opening one if needed),
   * under its own savepoint: if `fn` throws, only its writes are undone.
   */
  run<T>(fn: () => T): T;
  /** Runs `callback` once the batch holding the writes made so far has committed. */
  afterCommit(callback: () => void): void;
  /** Resolves once everything run so far is committed; rejects if that commit fails. */
  durable(): Promise<void>;
  /** Commits the open batch now (shutdown). */
  flush(): void;
  /** True while a batch is open: the writer connection then also sees writes not yet committed. */
  pending(): boolean;
}

/**
 * Group commit: every write of one event-loop turn shares one SQLite transaction, committed on
 * setImmediate. Under load, dozens of requests share a commit and its WAL pages instead of each
 * paying for its own; an idle host commits as soon as the turn ends. Nothing written here may be
 * acknowledged or fanned out before `afterCommit` / `durable` says it is on disk.
 */
export function createCommitBatcher(db: Db, onCommitError: (err: unknown) => void): CommitBatcher {
  // Prepared once: db.transaction(fn) builds a new wrapper per call, about 9 µs against 1 µs here.
  const sql = {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    savepoint: db.prepare('SAVEPOINT unit'),
    release: db.prepare('RELEASE unit'),
    undo: db.prepare('ROLLBACK TO unit'),
  };
  let open = false;
  let callbacks: (() => void)[] = [];
  let waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];

  function flush(): void {
    if (!open) return;
    open = false;
    const done = callbacks;
    const waiting = waiters;
    callbacks = [];
    waiters = [];
    try {
      sql.commit.run();
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      onCommitError(err);
      for (const w of waiting) w.reject(err);
      return;
    }
    for (const cb of done) cb();
    for (const w of waiting) w.resolve();
  }

  return {
    run(fn) {
      if (!open) {
        sql.begin.run();
        open = true;
        setImmediate(flush);
      }
      sql.savepoint.run();
      let value;
      try {
        value = fn();
      } catch (err) {
        sql.undo.run();
        sql.release.run();
        throw err;
      }
      sql.release.run();
      return value;
    },
    afterCommit(callback) {
      if (open) callbacks.push(callback);
      else callback();
    },
    durable() {
      if (!open) return Promise.resolve();
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    flush,
    pending: () => open,
  };
}
