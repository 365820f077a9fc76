// Dispatch benchmark (issue 4): submit -> worker-has-task latency, one task in flight at a time.
// Local: the in-process worker's agent starts. Remote: a worker (startWorker, the code behind
// `codetether worker`, in this process, over real HTTP on 127.0.0.1) receives the assignment
// from its waiting long-poll. The time runs from the call to tasks.send until the agent starts.
import { TaskState } from '@a2a-js/sdk';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTokenStore } from '../../main/auth/token-store';
import { loadConfig } from '../../main/host/config';
import { startHost } from '../../main/host/host';
import { createLogger } from '../../main/host/log';
import type { AgentExecutor } from '../../main/tasks/executor';
import { createHostClient } from '../../main/workers/remote/client';
import { startWorker } from '../../main/workers/remote/worker';
import { userMessage } from '../helpers/task-core';
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
    const created = createTokenStore(host.db).create({ name: 'bench-worker', scopes: ['worker'] });
    if (!created.ok) throw new Error('worker token not created');
    const worker = startWorker({
      client: createHostClient(new URL(host.urls.health).origin, created.token),
      agents: new Map([['probe', probe]]), codebases: ['app'], concurrency: 1, log: silent,
    });
    let registered!: () => void;
    const ready = new Promise<void>((r) => (registered = r));
    const serving = worker.run(() => registered());
    await ready;

    /** One sample: ms from send to the agent's start. `codebase` app exists only on the remote worker. */
    async function sample(codebase?: string): Promise<number> {
      const started = new Promise<number>((r) => (arrived = r));
      const t0 = performance.now();
      const { task } = await host.tasks.send({ message: userMessage('x'), metadata: { agent: 'probe', ...(codebase ? { codebase } : {}) } });
      const at = await started;
      await host.tasks.settled(task.id);
      // The remote worker claims again once its run is complete; let that claim be waiting, as it is on an idle worker.
      if (codebase) await sleep(3);
      return at - t0;
    }

    try {
      const results: ContenderResult[] = [];
      const ratios: Ratio[] = [];
      for (const [label, codebase] of [['local worker (in-process)', undefined], ['remote worker (HTTP long-poll)', 'app']] as const) {
        for (let i = 0; i < 30; i++) await sample(codebase);
        const perRound: number[][] = [];
        for (let round = 0; round < options.rounds; round++) {
          const times: number[] = [];
          for (let i = 0; i < SAMPLES_PER_ROUND; i++) times.push(await sample(codebase));
          times.sort((a, b) => a - b);
          perRound.push(times);
          options.log(`${label} round ${round + 1}/${options.rounds}: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`);
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
      worker.stop();
      await serving.catch(() => {});
      await host.stop();
    }
  },
};
