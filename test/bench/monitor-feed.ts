// Monitor feed bench (issue 14): blocking SendMessage latency, one send at a time, with no
// monitor open and with 1,000 `GET /api/events` streams open on the same host. The host runs in
// its own process (test/bench/servers/a2a-host.ts, log level warn); the streams and the sends
// come from this process. Every stream must receive the sends' task changes, or the bench fails.
import { request as httpRequest, Agent, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import type { Bench } from './bench';
import { spawnServer } from './child';
import type { ContenderResult } from './compare';
import { median } from './stats';

const STREAMS = 1000;
const SAMPLES_PER_ROUND = 200;
const WARMUP = 30;
const OPEN_TIMEOUT_MS = 60_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function send(base: string, i: number): Promise<number> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: i, method: 'SendMessage', params: { message: { messageId: `feed-${Date.now()}-${i}`, role: 'ROLE_USER', parts: [{ text: 'hello' }] } } });
  const t0 = performance.now();
  const res = await fetch(`${base}/a2a`, { method: 'POST', headers: { 'content-type': 'application/json', 'a2a-version': '1.0' }, body });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200 || !text.includes('"TASK_STATE_COMPLETED"')) throw new Error(`SendMessage did not complete: ${res.status} ${text.slice(0, 200)}`);
  return ms;
}

interface Streams {
  /** Streams that have received at least `n` task frames. */
  withTasks(n: number): number;
  close(): void;
}

/** Opens `count` monitor streams; resolves once each has its snapshot. */
function openStreams(base: string, count: number): Promise<Streams> {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const requests: ClientRequest[] = [];
  const taskFrames: number[] = new Array(count).fill(0);
  let ready = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${ready} of ${count} monitor streams opened within ${OPEN_TIMEOUT_MS} ms`)), OPEN_TIMEOUT_MS);
    const streams: Streams = {
      withTasks: (n) => taskFrames.filter((c) => c >= n).length,
      close() {
        for (const r of requests) r.destroy();
        agent.destroy();
      },
    };
    for (let i = 0; i < count; i++) {
      const req = httpRequest(`${base}/api/events`, { agent }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`/api/events answered ${res.statusCode}`));
        let snapshot = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (!snapshot && chunk.includes('event: snapshot')) {
            snapshot = true;
            if (++ready === count) {
              clearTimeout(timer);
              resolve(streams);
            }
          }
          taskFrames[i]! += chunk.split('event: task\n').length - 1;
        });
      });
      req.on('error', (err) => {
        if (!req.destroyed) reject(err);
      });
      req.end();
      requests.push(req);
    }
  });
}

export const monitorFeedBench: Bench = {
  name: 'monitor-feed',
  async run(options) {
    const server = await spawnServer({ label: 'ours', entry: 'a2a-host', args: [join(options.workDir, 'host'), 'warn'] }, { logFile: join(options.workDir, 'host.log') });
    let n = 0;
    async function round(label: string): Promise<number[]> {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES_PER_ROUND; i++) times.push(await send(server.url, n++));
      times.sort((a, b) => a - b);
      options.log(`${label}: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`);
      return times;
    }
    try {
      for (let i = 0; i < WARMUP; i++) await send(server.url, n++);
      const without: number[][] = [];
      const withStreams: number[][] = [];
      // Few tasks in the store while the streams open, so their snapshots stay small.
      const opened = performance.now();
      const streams = await openStreams(server.url, STREAMS);
      options.log(`${STREAMS} monitor streams open in ${Math.round(performance.now() - opened)} ms`);
      try {
        for (let r = 0; r < options.rounds; r++) withStreams.push(await round(`round ${r + 1}/${options.rounds}, ${STREAMS} monitor streams`));
        // The last send's change goes out within the coalescing window.
        await new Promise((r) => setTimeout(r, 500));
        const fed = streams.withTasks(1);
        if (fed !== STREAMS) throw new Error(`only ${fed} of ${STREAMS} monitor streams received task changes`);
      } finally {
        streams.close();
      }
      await new Promise((r) => setTimeout(r, 500));
      for (let r = 0; r < options.rounds; r++) without.push(await round(`round ${r + 1}/${options.rounds}, no monitor stream`));
      const result = (label: string, rounds: number[][]): ContenderResult => {
        const p50 = median(rounds.map((t) => percentile(t, 50)));
        return { label, rps: 1000 / p50, p50Ms: p50, p99Ms: median(rounds.map((t) => percentile(t, 99))), runs: [] };
      };
      const base = result('SendMessage, no monitor stream', without);
      const loaded = result(`SendMessage, ${STREAMS} /api/events streams open`, withStreams);
      return {
        name: 'monitor-feed',
        title: `Blocking SendMessage one at a time, without and with ${STREAMS} monitor streams (latency; the req/s column is 1000 / p50)`,
        contenders: [base, loaded],
        ratios: [{
          label: `p50 without / p50 with ${STREAMS} streams`,
          value: base.p50Ms / loaded.p50Ms,
          perRound: withStreams.map((t, i) => percentile(without[i]!, 50) / percentile(t, 50)),
          target: 0.5,
          met: loaded.p50Ms <= 2 * base.p50Ms,
        }],
      };
    } finally {
      await server.stop();
    }
  },
};
