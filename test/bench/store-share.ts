// The SQLite floor under a durable SendMessage: the real task core (a SQLite file, group commit,
// the echo agent) driven in this process with no HTTP in front, timing every better-sqlite3
// statement call. What one send spends inside SQLite bounds how close any HTTP server built on
// this store can come to raw node:http on one core: ours / raw <= raw µs / (raw µs + SQLite µs).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openCore, userMessage } from '../support/task-core';

export interface StoreShare {
  sends: number;
  /** Blocking echo sends per second through the task core alone. */
  sendsPerSec: number;
  /** Time inside SQLite statements (inserts, updates, BEGIN/SAVEPOINT/COMMIT) per send. */
  sqliteUsPerSend: number;
  /** Of which COMMIT (the WAL writes, and the checkpoints it triggers). */
  commitUsPerSend: number;
}

const METHODS = ['run', 'get', 'all', 'iterate'] as const;
type Method = (typeof METHODS)[number];

/** Wraps the Statement prototype so every call adds its duration; `restore` puts it back. */
function timeStatements() {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<Method, (...args: unknown[]) => unknown>;
  probe.close();
  const originals = METHODS.map((m) => [m, proto[m]] as const);
  const totals = { all: 0n, commit: 0n };
  for (const [m, original] of originals) {
    proto[m] = function timed(this: { source: string }, ...args: unknown[]) {
      const start = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const spent = process.hrtime.bigint() - start;
        totals.all += spent;
        if (this.source === 'COMMIT') totals.commit += spent;
      }
    };
  }
  return {
    totals,
    restore() {
      for (const [m, original] of originals) proto[m] = original;
    },
  };
}

/** `inFlight` blocking sends at a time (as the 64 connections keep them), `sends` in all. */
export async function measureStoreShare(workDir: string, sends = 20_000, inFlight = 64): Promise<StoreShare> {
  const dir = mkdtempSync(join(workDir, 'store-share-'));
  const core = openCore(dir);
  const sendOne = async () => {
    const { watch } = await core.tasks.send({ message: userMessage('hello') }, { watch: true });
    await watch!.settled();
  };
  try {
    for (let i = 0; i < 1000; i += inFlight) await Promise.all(Array.from({ length: inFlight }, sendOne));
    const timer = timeStatements();
    const start = performance.now();
    let started = 0;
    const lane = async () => {
      while (started < sends) {
        started++;
        await sendOne();
      }
    };
    try {
      await Promise.all(Array.from({ length: inFlight }, lane));
    } finally {
      timer.restore();
    }
    const seconds = (performance.now() - start) / 1000;
    return {
      sends,
      sendsPerSec: sends / seconds,
      sqliteUsPerSend: Number(timer.totals.all) / 1000 / sends,
      commitUsPerSend: Number(timer.totals.commit) / 1000 / sends,
    };
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
