// Dispatch benchmark (issue 4): submit -> worker-has-task latency, one task in flight at a time.
// Local: the in-process worker's agent starts. Remote: a worker (startWorker, the code behind
// `codetether worker`, in this process, over real HTTP on 127.0.0.1) receives the assignment
// from its waiting long-poll. Affinity: a second worker joins, and every task is in one context
// whose first task the second worker ran, so each goes to it though the first worker is first in
// line (context affinity, decision 0010).
// The time runs from the call to tasks.send until the agent starts.
import { TaskState } from '@a2a-js/sdk';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../main/base/config';
import { startHost } from '../../main/host/host';
import { createLogger } from '../../main/base/log';
import type { AgentExecutor } from '../../main/tasks/executor';
import { createHostClient } from '../../main/workers/remote/client';
import { startWorker } from '../../main/workers/remote/worker';
import { parseClaimNote } from '../../main/workers/dispatch/run-sites';
import { userMessage } from '../support/task-core';
import type { Bench } from './bench';
import type { ContenderResult, Ratio } from './compare';
import { median } from './stats';

const SAMPLES_PER_ROUND = 300;
const TARGET_P50_MS = 5;
const TARGET_P99_MS = 20;

let arrived: ((at: number) => void) | undefined;

/** Notes when it starts, then completes at once. */
const probe: AgentExecutor = {
  name: 'probe',
  description: 'Marks its start (dispatch bench).',
  skill: { id: 'probe', name: 'Probe', description: 'dispatch probe', tags: ['bench'] },
  async execute(ctx) {
    arrived?.(performance.now());
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_COMPLETED });
  },
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const dispatchBench: Bench = {
  name: 'dispatch',
  async run(options) {
    const silent = createLogger('silent');
    const host = await startHost(loadConfig({ flags: { dataDir: options.workDir, port: 0, mcpPort: 0, logLevel: 'silent' }, env: {} }), { log: silent, agents: [probe] });
    const created = host.tokens.create({ name: 'bench-worker', scopes: ['worker'] });
    if (!created.ok) throw new Error('worker token not created');
    const secret = created.token;
    const workers: { stop(): void; serving: Promise<void> }[] = [];
    async function addWorker(name: string): Promise<void> {
      const worker = startWorker({
        client: createHostClient(new URL(host.urls.health).origin, secret),
        agents: new Map([['probe', probe]]), codebases: ['app'], concurrency: 1, name, log: silent,
      });
      let registered!: () => void;
      const ready = new Promise<void>((r) => (registered = r));
      workers.push({ stop: () => worker.stop(), serving: worker.run(() => registered()) });
      await ready;
    }
    await addWorker('bench-a');

    /** Adds worker bench-b and has it run the first task of `contextId`: two tasks at once, the first to bench-a. */
    async function seedAffinity(contextId: string): Promise<void> {
      await addWorker('bench-b');
      arrived = undefined;
      const sent = await Promise.all(
        [undefined, contextId].map((ctx) => host.tasks.send({ message: userMessage('x', { contextId: ctx }), metadata: { agent: 'probe', codebase: 'app' } })),
      );
      await Promise.all(sent.map(({ task }) => host.tasks.settled(task.id)));
      await sleep(3);
    }

    /** The name of the worker each task of the affinity row was claimed by. */
    const claimedBy = new Set<string>();
    /** One sample: ms from send to the agent's start. `codebase` app exists only on the remote workers. */
    async function sample(codebase?: string, contextId?: string): Promise<number> {
      const started = new Promise<number>((r) => (arrived = r));
      const t0 = performance.now();
      const { task } = await host.tasks.send({ message: userMessage('x', { contextId }), metadata: { agent: 'probe', ...(codebase ? { codebase } : {}) } });
      const at = await started;
      await host.tasks.settled(task.id);
      if (contextId) {
        for (const e of host.tasks.eventsAfter(task.id, 0)) {
          const claim = parseClaimNote((JSON.parse(e.json) as { statusUpdate?: { metadata?: { worker?: unknown } } }).statusUpdate?.metadata?.worker);
          if (claim && !claim.local) claimedBy.add(claim.name);
        }
      }
      // The remote worker claims again once its run is complete; let that claim be waiting, as it is on an idle worker.
      if (codebase) await sleep(3);
      return at - t0;
    }

    try {
      const results: ContenderResult[] = [];
      const ratios: Ratio[] = [];
      const contenders = [
        ['local worker (in-process)', undefined, undefined],
        ['remote worker (HTTP long-poll)', 'app', undefined],
        ['2 remote workers, one context (affinity)', 'app', 'bench-context'],
      ] as const;
      for (const [label, codebase, contextId] of contenders) {
        if (contextId) await seedAffinity(contextId);
        for (let i = 0; i < 30; i++) await sample(codebase, contextId);
        const perRound: number[][] = [];
        for (let round = 0; round < options.rounds; round++) {
          const times: number[] = [];
          for (let i = 0; i < SAMPLES_PER_ROUND; i++) times.push(await sample(codebase, contextId));
          times.sort((a, b) => a - b);
          perRound.push(times);
          options.log(`${label} round ${round + 1}/${options.rounds}: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`);
        }
        // Every task of the one context ran on the worker that ran its first.
        if (contextId && (claimedBy.size !== 1 || !claimedBy.has('bench-b'))) {
          throw new Error(`the context's tasks ran on ${[...claimedBy].join(', ')}, not on bench-b alone`);
        }
        const p50 = median(perRound.map((t) => percentile(t, 50)));
        const p99 = median(perRound.map((t) => percentile(t, 99)));
        results.push({ label, rps: 1000 / p50, p50Ms: p50, p99Ms: p99, runs: [] });
        ratios.push(
          { label: `${label}: p50 target ${TARGET_P50_MS} ms / p50`, value: TARGET_P50_MS / p50, perRound: perRound.map((t) => TARGET_P50_MS / percentile(t, 50)), target: 1, met: p50 < TARGET_P50_MS },
          { label: `${label}: p99 target ${TARGET_P99_MS} ms / p99`, value: TARGET_P99_MS / p99, perRound: perRound.map((t) => TARGET_P99_MS / percentile(t, 99)), target: 1, met: p99 < TARGET_P99_MS },
        );
      }
      return { name: 'dispatch', title: 'Dispatch: submit -> worker has the task, one at a time (latency; the req/s column is 1000 / p50)', contenders: results, ratios };
    } finally {
      for (const w of workers) w.stop();
      await Promise.all(workers.map((w) => w.serving.catch(() => {})));
      await host.stop();
    }
  },
};
