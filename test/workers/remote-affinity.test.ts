import { TaskState } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../main/host/host';
import type { Overview } from '../../shared/monitor-api';
import { parseClaimNote } from '../../main/workers/dispatch/run-sites';
import { startRpcHost } from '../a2a/support';
import { startTestHost } from '../support/host';
import { userMessage } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { appDir, connected, spawnWorker, token, workerConfig } from './remote-support';

/** The worker that claimed the task's latest run, by the name in its claim (`{ worker: "name (id)" }`), and when. */
function claimOf(host: Host, taskId: string): { name: string; at: number } | undefined {
  let found: { name: string; at: number } | undefined;
  for (const e of host.tasks.eventsAfter(taskId, 0)) {
    const u = (JSON.parse(e.json) as { statusUpdate?: { status?: { timestamp?: string }; metadata?: { worker?: unknown } } }).statusUpdate;
    const claim = parseClaimNote(u?.metadata?.worker);
    if (claim && !claim.local) found = { name: claim.name, at: Date.parse(u!.status!.timestamp!) };
  }
  return found;
}

/** Sends a paced task in `contextId` for codebase app; resolves when it completed, with the worker that ran it. */
async function run(host: Host, contextId: string, prompt = 'lines 2 20'): Promise<{ worker: string; sentAt: number; claimedAt: number }> {
  const sentAt = Date.now();
  const { task } = await host.tasks.send({ message: userMessage(prompt, { contextId, metadata: { agent: 'paced', codebase: 'app' } }) });
  expect((await host.tasks.settled(task.id)).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  const claim = claimOf(host, task.id)!;
  return { worker: claim.name, sentAt, claimedAt: claim.at };
}

/** Two workers for codebase app (each its own folder and worker.db), one task at a time each. */
function workerArgs(host: Host, name: string): string[] {
  return [
    '--server', new URL(host.urls.health).origin, '--token', token(host, ['worker']), '--name', name, '--codebase', `app=${appDir()}`,
    '--agents', 'paced', '--config', workerConfig(), '--concurrency', '1', '--log-level', 'warn',
  ];
}

type WorkerName = 'w-a' | 'w-b';

/**
 * Workers w-a and w-b on `host`, each on a data dir of its own (`start` runs one again on it),
 * and the first tasks of contexts ctx-c and ctx-d sent at once: each worker takes one.
 */
async function twoWorkersTwoContexts(host: Host) {
  const dataDirs: Record<WorkerName, string> = { 'w-a': tempDir('codetether-worker-data-'), 'w-b': tempDir('codetether-worker-data-') };
  const start = async (name: WorkerName) => {
    const w = spawnWorker(workerArgs(host, name), { CODETETHER_DATA_DIR: dataDirs[name] });
    await connected(w);
    return w;
  };
  const workers = { 'w-a': await start('w-a'), 'w-b': await start('w-b') };
  const [c1, d1] = await Promise.all([run(host, 'ctx-c', 'lines 3 100'), run(host, 'ctx-d', 'lines 3 100')]);
  expect(new Set([c1.worker, d1.worker])).toEqual(new Set(['w-a', 'w-b']));
  return { workers, start, c1, d1 };
}

describe('context affinity with remote workers', () => {
  it("runs a context's next task on the worker that ran its previous one; once that worker is killed, on the other at once", async () => {
    // A lease far longer than the test may wait: the killed worker's lease must not be what frees its context.
    const { host } = await startRpcHost({ mcpPort: 0, workerLeaseMs: 30_000 });
    const { workers, c1, d1 } = await twoWorkersTwoContexts(host);

    // One at a time, each sent as soon as the one before completed: without affinity the first
    // idle worker in line would take both contexts' tasks.
    for (let i = 0; i < 3; i++) {
      expect((await run(host, 'ctx-c')).worker).toBe(c1.worker);
      expect((await run(host, 'ctx-d')).worker).toBe(d1.worker);
    }

    const [victim, survivor] = c1.worker === 'w-a' ? [workers['w-a'], 'w-b'] : [workers['w-b'], 'w-a'];
    victim.child.kill('SIGKILL');
    await victim.exited;
    // The host learns of the death from the claim connection closing, an event of its own loop.
    await new Promise((r) => setTimeout(r, 100));
    const c3 = await run(host, 'ctx-c');
    expect(c3.worker).toBe(survivor);
    // Neither the dead worker's lease (30 s) nor the affinity wait (3 s).
    expect(c3.claimedAt - c3.sentAt).toBeLessThan(1500);
  }, 60_000);

  it("sends a context back to its worker after that worker restarts: its id lives in its worker.db, not in the process", async () => {
    const { host } = await startRpcHost({ mcpPort: 0, workerLeaseMs: 30_000 });
    const { workers, start, c1, d1 } = await twoWorkersTwoContexts(host);

    // The worker that ran ctx-c restarts on its data dir; the other stays first in line.
    const ranC = c1.worker as WorkerName;
    workers[ranC].child.kill('SIGKILL');
    await workers[ranC].exited;
    workers[ranC] = await start(ranC);
    await new Promise((r) => setTimeout(r, 150));
    expect((await run(host, 'ctx-c')).worker).toBe(ranC);
    expect((await run(host, 'ctx-d')).worker).toBe(d1.worker);
  }, 60_000);

  it("keeps a context's worker across a host restart, from the claims in the task store", async () => {
    const dataDir = tempDir('codetether-affinity-restart-');
    const start = async (port: number) => (await startTestHost({ dataDir, config: { port, shutdownGraceMs: 200 } })).host;
    const first = await start(0);
    const port = Number(new URL(first.urls.health).port);
    const { c1, d1 } = await twoWorkersTwoContexts(first);
    await first.stop();

    const second = await start(port);
    // Both workers register again (same ids) with the new host process.
    const registered = async () => {
      const overview = (await (await fetch(`http://127.0.0.1:${port}/api/overview`)).json()) as Overview;
      return overview.workers.filter((w) => !w.local).length === 2;
    };
    const deadline = Date.now() + 20_000;
    while (!(await registered())) {
      if (Date.now() > deadline) throw new Error('workers did not register again');
      await new Promise((r) => setTimeout(r, 50));
    }
    // Give each worker's first claim time to arrive, so both are idle and waiting.
    await new Promise((r) => setTimeout(r, 150));
    // Each sent once both workers wait idle again: without the stored claims the first in line
    // would take both contexts' first task here, and the memory would keep it there.
    const idle = () => new Promise((r) => setTimeout(r, 150));
    for (let i = 0; i < 2; i++) {
      expect((await run(second, 'ctx-c')).worker).toBe(c1.worker);
      await idle();
      expect((await run(second, 'ctx-d')).worker).toBe(d1.worker);
      await idle();
    }
  }, 60_000);
});
