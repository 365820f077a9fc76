import { TaskState, type Task } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../main/base/log';
import type { CodebaseRepository } from '../../main/store/codebase-repository';
import type { AuditLog } from '../../main/store/audit-repository';
import type { WorkerRepository } from '../../main/store/worker-repository';
import type { RunnableTask, TaskRunner } from '../../main/tasks/runner';
import type { RunSite } from '../../main/workers/dispatch/affinity';
import { createDispatcher, type HostDispatcher } from '../../main/workers/dispatch/dispatcher';
import type { Assignment } from '../../main/workers/wire/protocol';
import { userMessage } from '../support/task-core';

/**
 * The dispatcher alone, with a runner that only records: remote workers are driven through
 * register/claim/complete as the HTTP routes would, local runs end when the test says so.
 */
function setup(
  options: { localServes?: boolean; leaseMs?: number; affinityWaitMs?: number; lastSite?: (contextId: string) => RunSite | undefined; log?: Logger } = {},
) {
  const local: { taskId: string; end: () => void }[] = [];
  const runner: TaskRunner = {
    runLocal: (job) => new Promise<void>((end) => local.push({ taskId: job.taskId, end })),
    claim: (taskId) => ({ task: task(taskId, 'unused'), attempt: 1 }),
    report: () => {},
    requeue: (taskId) => task(taskId, 'unused'),
    fail: () => {},
    durable: () => Promise.resolve(),
  };
  const codebases = { get: (name: string) => (options.localServes && name === 'app' ? { name } : undefined) } as unknown as CodebaseRepository;
  const workers = { list: () => [], register: () => {}, seen: () => {} } as unknown as WorkerRepository;
  const audit = { append: () => ({}) } as unknown as AuditLog;
  const dispatcher = createDispatcher({
    runner, localAgents: new Set(['paced']), limitedAgents: new Set(['paced']), localConcurrency: 1, codebases, workers, audit,
    leaseMs: options.leaseMs ?? 10_000, claimWaitMs: 60_000, maxAttempts: 3, log: options.log ?? createLogger('silent'),
    affinityWaitMs: options.affinityWaitMs ?? 10_000,
    lastSite: options.lastSite && ((k) => options.lastSite!(k.contextId)),
  });
  dispatchers.push(dispatcher);
  return { dispatcher, local };
}

const dispatchers: HostDispatcher[] = [];
afterEach(() => {
  for (const d of dispatchers.splice(0)) d.stop();
});

function task(id: string, contextId: string): Task {
  const message = userMessage('go', { contextId, taskId: id, metadata: { agent: 'paced', codebase: 'app' } });
  return { id, contextId, status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: undefined }, artifacts: [], history: [message], metadata: undefined };
}

function job(contextId: string): RunnableTask {
  const t = task(randomUUID(), contextId);
  return { taskId: t.id, agent: 'paced', message: t.history[0]!, task: t };
}

/** A remote worker as the dispatcher sees it: one claim at a time, concurrency 1. */
function worker(dispatcher: HostDispatcher, name: string) {
  const { sessionId } = dispatcher.register({ workerId: `${name}-id`, name, codebases: ['app'], agents: ['paced'], concurrency: 1 });
  let got: Assignment | undefined;
  let connection: AbortController | undefined;
  return {
    /** Opens a claim; `got` is set when it is answered with a task. */
    claim() {
      connection = new AbortController();
      const result = dispatcher.claim(sessionId, connection.signal);
      if (!result.ok) throw new Error(result.message);
      void result.value.then((a) => (got = a ?? got));
    },
    /** The task it holds, if any. */
    get got() {
      return got;
    },
    async finish() {
      const lease = got!.leaseId;
      got = undefined;
      await dispatcher.complete(sessionId, lease, undefined);
    },
    /** Heartbeats its lease, as a busy worker does. */
    beat() {
      dispatcher.heartbeat(sessionId, got ? [got.leaseId] : []);
    },
    /** The worker's end of the claim connection closes (it was killed). */
    die() {
      connection?.abort();
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/**
 * Workers `idle` and `ran` are registered; the first task of `contextId` ran on `ran`, which
 * still holds it, and `idle` has a claim open.
 */
async function contextRanOn(dispatcher: HostDispatcher, names: { idle: string; ran: string }, contextId: string) {
  const idle = worker(dispatcher, names.idle);
  const ran = worker(dispatcher, names.ran);
  ran.claim();
  dispatcher.offer(job(contextId));
  idle.claim();
  await tick();
  return { idle, ran };
}

describe('context affinity in dispatch', () => {
  it('places the next task of a context on the worker that ran the previous one, though another is first in line', async () => {
    const { dispatcher } = setup();
    const a = worker(dispatcher, 'a');
    const b = worker(dispatcher, 'b');
    a.claim();
    b.claim();
    const d1 = job('ctx-d');
    dispatcher.offer(d1);
    const c1 = job('ctx-c');
    dispatcher.offer(c1);
    await tick();
    expect(a.got?.taskId).toBe(d1.taskId);
    expect(b.got?.taskId).toBe(c1.taskId);
    await a.finish();
    await b.finish();
    a.claim();
    b.claim();
    for (const ctx of ['ctx-c', 'ctx-c', 'ctx-d']) {
      const next = job(ctx);
      dispatcher.offer(next);
      await tick();
      const ranOn = ctx === 'ctx-c' ? b : a;
      expect(ranOn.got?.taskId).toBe(next.taskId);
      await ranOn.finish();
      ranOn.claim();
    }
    // A new context takes the first free worker, as before.
    const fresh = job('ctx-new');
    dispatcher.offer(fresh);
    await tick();
    expect(a.got?.taskId).toBe(fresh.taskId);
  });

  it('waits for the busy worker that ran the context, not for other contexts; it takes the task once it claims again', async () => {
    const { dispatcher } = setup();
    const { idle: a, ran: b } = await contextRanOn(dispatcher, { idle: 'a', ran: 'b' }, 'ctx-c');
    expect(b.got).toBeDefined();

    // b still holds c1 (its run ended, its complete has not arrived): c2 waits for b, a stays free.
    const c2 = job('ctx-c');
    dispatcher.offer(c2);
    await tick();
    expect(a.got).toBeUndefined();
    expect(dispatcher.queued).toBe(1);
    // Another context's task is not held up by it.
    const other = job('ctx-other');
    dispatcher.offer(other);
    await tick();
    expect(a.got?.taskId).toBe(other.taskId);

    await b.finish();
    b.claim();
    await tick();
    expect(b.got?.taskId).toBe(c2.taskId);
    expect(dispatcher.queued).toBe(0);
  });

  it('waits no longer than affinityWaitMs: then any eligible worker takes it', async () => {
    const { dispatcher } = setup({ affinityWaitMs: 150 });
    const { idle: a, ran: b } = await contextRanOn(dispatcher, { idle: 'a', ran: 'b' }, 'ctx-c');
    const c2 = job('ctx-c');
    const t0 = Date.now();
    dispatcher.offer(c2);
    await tick();
    expect(a.got).toBeUndefined();
    while (!a.got) {
      await new Promise((r) => setTimeout(r, 5));
      // b heartbeats meanwhile: it is busy, not gone.
      b.beat();
      if (Date.now() - t0 > 2000) throw new Error('not placed');
    }
    expect(a.got.taskId).toBe(c2.taskId);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('does not wait for a worker that is gone: its claim connection closed, or it went silent', { timeout: 10_000 }, async () => {
    const { dispatcher } = setup({ leaseMs: 300 });
    const { idle: a, ran: b } = await contextRanOn(dispatcher, { idle: 'a', ran: 'b' }, 'ctx-c');
    await b.finish();
    b.claim();
    // b dies while idle: the next task of its context goes to a at once.
    b.die();
    const c2 = job('ctx-c');
    dispatcher.offer(c2);
    await tick();
    expect(a.got?.taskId).toBe(c2.taskId);
    await a.finish();
    a.claim();

    // e ran on f; f is busy and stops heartbeating (cut off): the held task leaves for a after
    // three heartbeats (3 s), before f's lease lapses (6 s) and long before affinityWaitMs (10 s).
    const { dispatcher: d2 } = setup({ leaseMs: 6000 });
    const { idle: a2, ran: f } = await contextRanOn(d2, { idle: 'a', ran: 'f' }, 'ctx-e');
    expect(f.got).toBeDefined();
    // f confirmed its task with one heartbeat, so its lease runs its full 6 s.
    f.beat();
    const e2 = job('ctx-e');
    const t0 = Date.now();
    d2.offer(e2);
    await tick();
    expect(a2.got).toBeUndefined();
    while (!a2.got) {
      await new Promise((r) => setTimeout(r, 10));
      if (Date.now() - t0 > 5000) throw new Error('held for a silent worker');
    }
    expect(a2.got.taskId).toBe(e2.taskId);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2900);
  });

  it('prefers this process when it ran the context, waiting for a free slot; a stored run site counts after a restart', async () => {
    const { dispatcher, local } = setup({ localServes: true, lastSite: (ctx) => (ctx === 'ctx-stored' ? { local: false, workerId: 'b-id', name: 'b' } : undefined) });
    const a = worker(dispatcher, 'a');
    const b = worker(dispatcher, 'b');
    const c1 = job('ctx-c');
    dispatcher.offer(c1);
    expect(local.map((r) => r.taskId)).toEqual([c1.taskId]);
    a.claim();
    b.claim();
    // The local slot is taken by c1: c2 waits for it rather than going to a or b.
    const c2 = job('ctx-c');
    dispatcher.offer(c2);
    await tick();
    expect(a.got).toBeUndefined();
    expect(b.got).toBeUndefined();
    local[0]!.end();
    await tick();
    expect(local.map((r) => r.taskId)).toEqual([c1.taskId, c2.taskId]);

    // Placed by a previous host process on b (read from the task store): b, though a is first and this process serves it too.
    local[1]!.end();
    await tick();
    const s1 = job('ctx-stored');
    dispatcher.offer(s1);
    await tick();
    expect(b.got?.taskId).toBe(s1.taskId);
    expect(a.got).toBeUndefined();
  });

  it('drops a held task that is canceled', async () => {
    const { dispatcher } = setup();
    const { ran: b } = await contextRanOn(dispatcher, { idle: 'a', ran: 'b' }, 'ctx-c');
    const c2 = job('ctx-c');
    dispatcher.offer(c2);
    expect(dispatcher.queued).toBe(1);
    dispatcher.cancel(c2.taskId);
    expect(dispatcher.queued).toBe(0);
    await b.finish();
    b.claim();
    await tick();
    expect(b.got).toBeUndefined();
  });

  it('requeues a task whose worker never confirms it within three heartbeats, long before its lease would lapse', { timeout: 10_000 }, async () => {
    // leaseMs 30 s: heartbeats every 1 s, so an unconfirmed assignment lasts 3 s.
    const { dispatcher } = setup({ leaseMs: 30_000 });
    const dead = worker(dispatcher, 'dead');
    const live = worker(dispatcher, 'live');
    dead.claim();
    const lost = job('ctx-lost');
    dispatcher.offer(lost);
    live.claim();
    const kept = job('ctx-kept');
    dispatcher.offer(kept);
    await tick();
    expect(dead.got?.taskId).toBe(lost.taskId);
    expect(live.got?.taskId).toBe(kept.taskId);

    // The dead worker got its assignment as it died: it never heartbeats. The live one does.
    const t0 = Date.now();
    await live.finish();
    live.claim();
    while (live.got?.taskId !== lost.taskId) {
      await new Promise((r) => setTimeout(r, 50));
      if (Date.now() - t0 > 6000) throw new Error('the unconfirmed task was not requeued');
    }
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(2900);
    expect(waited).toBeLessThan(5000);
  });

  it('keeps a confirmed lease for its whole length though heartbeats are the only sign of life', { timeout: 10_000 }, async () => {
    const { dispatcher } = setup({ leaseMs: 30_000 });
    const busy = worker(dispatcher, 'busy');
    const other = worker(dispatcher, 'other');
    busy.claim();
    const running = job('ctx-running');
    dispatcher.offer(running);
    await tick();
    other.claim();
    const t0 = Date.now();
    while (Date.now() - t0 < 4000) {
      busy.beat();
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(busy.got?.taskId).toBe(running.taskId);
    expect(other.got).toBeUndefined();
  });

  it('warns when a worker id registers again while its earlier session still waits for tasks (a copied worker.db), not on a restart', () => {
    const lines: string[] = [];
    const { dispatcher } = setup({ log: createLogger('warn', (l) => lines.push(l)) });
    const first = worker(dispatcher, 'box');
    first.claim();
    worker(dispatcher, 'box');
    expect(lines.map((l) => JSON.parse(l) as { msg: string; worker: string })).toEqual([
      expect.objectContaining({ msg: expect.stringContaining('two machines may share a copied worker.db'), worker: 'box-id' }),
    ]);

    // A restart: the claim's connection closed with the old process before it registered again.
    lines.length = 0;
    const restarted = worker(dispatcher, 'other');
    restarted.claim();
    restarted.die();
    worker(dispatcher, 'other');
    expect(lines).toEqual([]);
  });
});
