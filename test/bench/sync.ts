// Sync benchmark (issue 7): two real hosts paired through a real relay process.
// 1. Latency: A continues a session (echo task), B's tables show the completed task; p50/p99.
// 2. Growth: one task on A reports `working` 10,000 times; the session document's size after
//    the first status and after the last must stay of one order (Y.Map overwrites by one writer
//    leave one merged tombstone run, not one per write).
// 3. Backlog (issue 14): the relay stops, A makes 1,000 sessions, the relay returns on the same
//    port; the time until B's tables hold all of them (target < 10 s).
import { TaskState } from '@a2a-js/sdk';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as Y from 'yjs';
import { main as cli } from '../../main/cli/main';
import { loadConfig } from '../../main/base/config';
import { startHost, type Host } from '../../main/host/host';
import { createLogger } from '../../main/base/log';
import { createSyncRepository } from '../../main/store/sync-repository';
import { sessionDocName } from '../../main/sync/doc-names';
import type { AgentExecutor } from '../../main/tasks/executor';
import { issueToken } from '../../sync-server/test/helpers/data-dir';
import { killRelay, spawnRelay } from '../../sync-server/test/helpers/relay-process';
import { text } from '../sync/support';
import type { Bench } from './bench';
import type { Ratio } from './compare';
import { median } from './stats';
import { waitFor } from '../support/wait';

const SAMPLES_PER_ROUND = 200;
/** Sessions made on A while the relay is down; they must reach B within TARGET_CATCH_UP_MS of its return. */
const BACKLOG = 1000;
const TARGET_CATCH_UP_MS = 10_000;
const OVERWRITES = 10_000;
const TARGET_P50_MS = 50;

/** Reports `working` OVERWRITES times, a millisecond apart so every status differs, then completes. */
const churnAgent: AgentExecutor = {
  name: 'churn',
  description: 'Overwrites its own status many times (sync bench).',
  skill: { id: 'churn', name: 'Churn', description: 'status churn', tags: ['bench'] },
  async execute(ctx) {
    for (let i = 0; i < OVERWRITES; i++) {
      ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING });
      await sleep(1);
    }
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_COMPLETED });
  },
};

async function pairedHost(dir: string, relayUrl: string, token: string): Promise<Host> {
  mkdirSync(dir, { recursive: true });
  const quiet = { out: () => {}, err: () => {} };
  if ((await cli(['sync', 'join', relayUrl, '--workspace', 'bench', '--token', token, '--data-dir', dir], quiet)) !== 0) throw new Error('sync join failed');
  const config = loadConfig({ flags: { dataDir: dir, port: 0, mcpPort: 0, logLevel: 'silent' }, env: {} });
  return startHost(config, { log: createLogger('silent'), agents: [churnAgent] });
}

function visible(host: Host, taskId: string): boolean {
  try {
    return host.tasks.get(taskId, { historyLength: 0, includeArtifacts: false }).status?.state === TaskState.TASK_STATE_COMPLETED;
  } catch {
    return false;
  }
}


/** Polls every 20 ms: the hosts share this process, so a tight loop would slow what it waits for. */
async function poll(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Completed tasks B holds from other devices. */
function remoteTasks(host: Host): number {
  return (host.db.prepare("SELECT count(*) AS n FROM tasks WHERE origin IS NOT NULL AND state = 'completed'").get() as { n: number }).n;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** How many Yjs updates A has stored so far (the log's autoincrement counter survives compaction). */
function updatesWritten(host: Host): number {
  return (host.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'sync_updates'").get() as { seq: number } | undefined)?.seq ?? 0;
}

/** The session document as A stores it: snapshot plus log, merged, re-encoded. */
function storedDocBytes(host: Host, contextId: string): number {
  const parts = createSyncRepository(host.db).load(sessionDocName(contextId));
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.mergeUpdates(parts));
  return Y.encodeStateAsUpdate(doc).byteLength;
}

export const syncBench: Bench = {
  name: 'sync',
  async run(options) {
    const relayDir = join(options.workDir, 'relay');
    mkdirSync(relayDir, { recursive: true });
    const token = issueToken(relayDir, 'bench');
    let relay = await spawnRelay(relayDir);
    const hosts: Host[] = [];
    try {
      const a = await pairedHost(join(options.workDir, 'a'), relay.url, token);
      hosts.push(a);
      const b = await pairedHost(join(options.workDir, 'b'), relay.url, token);
      hosts.push(b);

      const first = (await a.tasks.send({ message: text('warm-up') })).task;
      await waitFor(() => visible(b, first.id), 20_000, 'the first session on B');
      const contextId = first.contextId;

      const perRound: number[][] = [];
      for (let round = 0; round < options.rounds; round++) {
        const times: number[] = [];
        for (let i = 0; i < SAMPLES_PER_ROUND; i++) {
          const start = performance.now();
          const { task } = await a.tasks.send({ message: text(`sample ${round}.${i}`, contextId) });
          await waitFor(() => visible(b, task.id), 10_000, `sample ${i} on B`);
          times.push(performance.now() - start);
        }
        times.sort((x, y) => x - y);
        perRound.push(times);
        options.log(`round ${round + 1}/${options.rounds}: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`);
      }
      const p50 = median(perRound.map((t) => percentile(t, 50)));
      const p99 = median(perRound.map((t) => percentile(t, 99)));

      options.log(`growth: ${OVERWRITES} status overwrites of one task`);
      const churn = (await a.tasks.send({ message: text('churn'), metadata: { agent: 'churn' } })).task;
      await waitFor(() => a.tasks.get(churn.id, { historyLength: 0 }).status?.state === TaskState.TASK_STATE_WORKING, 10_000, 'churn running');
      await sleep(50);
      const before = storedDocBytes(a, churn.contextId);
      const updatesBefore = updatesWritten(a);
      await a.tasks.settled(churn.id);
      await waitFor(() => visible(b, churn.id), 20_000, 'churn task on B');
      const after = storedDocBytes(a, churn.contextId);
      options.log(`session document: ${before} bytes early on, ${after} bytes after ${OVERWRITES} overwrites (${updatesWritten(a) - updatesBefore} updates stored meanwhile)`);

      options.log(`backlog: ${BACKLOG} sessions made on A while the relay is down`);
      const port = relay.port;
      await killRelay(relay, 'SIGTERM');
      await poll(() => a.sync.status().state === 'offline', 20_000, 'A offline');
      for (let i = 0; i < BACKLOG; i++) {
        const { task } = await a.tasks.send({ message: text(`backlog ${i}`) });
        await a.tasks.settled(task.id);
      }
      await poll(() => a.sync.status().pending >= BACKLOG, 60_000, "A's backlog in its documents");
      const onB = remoteTasks(b);
      relay = await spawnRelay(relayDir, ['--port', String(port)]);
      const back = performance.now();
      await poll(() => remoteTasks(b) >= onB + BACKLOG, 120_000, `the ${BACKLOG} sessions on B`);
      const catchUpMs = performance.now() - back;
      options.log(`backlog: ${BACKLOG} sessions on B ${Math.round(catchUpMs)} ms after the relay returned`);

      const ratios: Ratio[] = [
        { label: `p50 target ${TARGET_P50_MS} ms / p50 A->B`, value: TARGET_P50_MS / p50, perRound: perRound.map((t) => TARGET_P50_MS / percentile(t, 50)), target: 1, met: p50 < TARGET_P50_MS },
        { label: `doc bytes first / after ${OVERWRITES} overwrites`, value: before / after, perRound: [before / after], target: 0.5, met: after <= 2 * before },
        { label: `${BACKLOG}-session backlog: target ${TARGET_CATCH_UP_MS / 1000} s / catch-up time`, value: TARGET_CATCH_UP_MS / catchUpMs, perRound: [TARGET_CATCH_UP_MS / catchUpMs], target: 1, met: catchUpMs < TARGET_CATCH_UP_MS },
      ];
      return {
        name: 'sync',
        title: `Sync: A continues a session, B's tables show the task (through a relay process); doc ${before} -> ${after} bytes over ${OVERWRITES} overwrites`,
        contenders: [{ label: 'host A -> relay -> host B', rps: 1000 / p50, p50Ms: p50, p99Ms: p99, runs: [] }],
        ratios,
        measures: [{ label: `${BACKLOG} sessions made while the relay was down: on B after its return`, value: Math.round(catchUpMs), unit: 'ms' }],
      };
    } finally {
      for (const h of hosts) await h.stop();
      await killRelay(relay, 'SIGTERM');
    }
  },
};
