import type { Db } from './open';

/** Whether commits succeed; `reason` is SQLite's message of the last failure ("database or disk is full"). */
export type StoreHealth = { ok: true } | { ok: false; reason: string; since: number };

export interface CommitBatcher {
  /**
   * Runs `fn` inside the batch open for this turn of the event loop (opening one if needed),
   * under its own savepoint: if `fn` throws, only its writes are undone.
   */
  run<T>(fn: () => T): T;
  /**
   * Runs `callback` once the batch holding the writes made so far has committed, or `lost`
   * (when given) if that commit fails and those writes are rolled back.
   */
  afterCommit(callback: () => void, lost?: (err: unknown) => void): void;
  /** Resolves once everything run so far is committed; rejects if that commit fails. */
  durable(): Promise<void>;
  /** Commits the open batch now (shutdown). */
  flush(): void;
  /** True while a batch is open: the writer connection then also sees writes not yet committed. */
  pending(): boolean;
  /** Failing since the last commit failed, until one succeeds again. */
  health(): StoreHealth;
}

export interface CommitBatcherOptions {
  /** While commits fail, a small write is tried this often, so health returns with the space even on an idle host. */
  probeMs?: number;
}

/**
 * Group commit: every write of one event-loop turn shares one SQLite transaction, committed on
 * setImmediate. Under load, dozens of requests share a commit and its WAL pages instead of each
 * paying for its own; an idle host commits as soon as the turn ends. Nothing written here may be
 * acknowledged or fanned out before `afterCommit` / `durable` says it is on disk.
 */
export function createCommitBatcher(db: Db, onCommitError: (err: unknown) => void, options: CommitBatcherOptions = {}): CommitBatcher {
  // Prepared once: db.transaction(fn) builds a new wrapper per call, about 9 µs against 1 µs here.
  const sql = {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    savepoint: db.prepare('SAVEPOINT unit'),
    release: db.prepare('RELEASE unit'),
    undo: db.prepare('ROLLBACK TO unit'),
  };
  const probeSql = "INSERT INTO settings (key, value, updated_at) VALUES ('store.probe', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
  let open = false;
  /** The batch's transaction is gone (SQLite rolls a whole transaction back on some errors, a full disk among them). */
  let broken: unknown;
  let callbacks: { done: () => void; lost?: (err: unknown) => void }[] = [];
  let waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  let health: StoreHealth = { ok: true };
  let probeTimer: NodeJS.Timeout | undefined;

  function failed(err: unknown): void {
    if (health.ok) health = { ok: false, reason: (err as Error).message ?? String(err), since: Date.now() };
    else health = { ...health, reason: (err as Error).message ?? String(err) };
    probeTimer ??= setInterval(probe, options.probeMs ?? 1000);
    probeTimer.unref();
  }

  function recovered(): void {
    health = { ok: true };
    clearInterval(probeTimer);
    probeTimer = undefined;
  }

  function probe(): void {
    if (open) return;
    try {
      batcher.run(() => db.prepare(probeSql).run(String(Date.now()), Date.now()));
    } catch {
      // Still failing: the next probe tries again.
    }
  }

  function flush(): void {
    if (!open) return;
    open = false;
    const done = callbacks;
    const waiting = waiters;
    callbacks = [];
    waiters = [];
    let error = broken;
    broken = undefined;
    if (error === undefined) {
      try {
        sql.commit.run();
      } catch (err) {
        error = err;
      }
    }
    if (error !== undefined) {
      try {
        if (db.inTransaction) db.exec('ROLLBACK');
      } catch (err) {
        onCommitError(err);
      }
      onCommitError(error);
      failed(error);
      for (const cb of done) cb.lost?.(error);
      for (const w of waiting) w.reject(error);
      return;
    }
    if (!health.ok) recovered();
    for (const cb of done) cb.done();
    for (const w of waiting) w.resolve();
  }

  const batcher: CommitBatcher = {
    run(fn) {
      if (broken !== undefined) throw broken;
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
        try {
          sql.undo.run();
          sql.release.run();
        } catch {
          // The savepoint went with the transaction.
        }
        // Every unit of this batch is lost with it: the flush tells their owners.
        if (!db.inTransaction) broken = err;
        throw err;
      }
      sql.release.run();
      return value;
    },
    afterCommit(callback, lost) {
      if (open) callbacks.push({ done: callback, lost });
      else callback();
    },
    durable() {
      if (!open) return Promise.resolve();
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    flush,
    pending: () => open,
    health: () => health,
  };
  return batcher;
}
