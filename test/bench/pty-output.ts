// Pty output benchmark (issue 4): a command agent's output reaching an SSE client through a real
// host (`codetether serve` in its own process, so the client here never shares its event loop).
// Latency: test/fixtures/agents/ticker.js prints a line stamped with its wall-clock time every
// 20 ms; the client subtracts the stamp from its own clock when the line arrives (same machine,
// same clock). Throughput: numbered.js prints 50 MB as fast as the pty takes it; the client
// counts output characters from the send to the final status. The same 50 MB read straight from
// the pty host (no task core, store or SSE) is the reference for what the pty itself allows.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../main/base/log';
import { createPtyHost } from '../../main/workers/pty-host/client';
import { startServeProcess } from '../support/serve-process';
import { sseFrames } from '../support/sse-frames';
import type { Bench } from './bench';
import type { ContenderResult, Ratio } from './compare';
import { median } from './stats';

const fixtures = join(import.meta.dirname, '../fixtures/agents');
const MB = 1024 * 1024;
const TICK_MS = 20;
const OUTPUT_BYTES = 50 * MB;
const TARGET_P50_MS = 10;

const wallClock = () => performance.timeOrigin + performance.now();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Sends `prompt` to `agent` with SendStreamingMessage and hands each output text to `onText` with its arrival time; resolves at completion. */
async function streamTask(url: string, agent: string, prompt: string, onText: (text: string, at: number) => void): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'SendStreamingMessage',
      params: { message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: prompt }], metadata: { agent, codebase: 'app' } } },
    }),
  });
  for await (const frame of sseFrames(res)) {
    const at = wallClock();
    const result = (JSON.parse(frame.data) as { result?: { artifactUpdate?: { artifact: { parts: { text?: string }[] } }; statusUpdate?: { status: { state: string } } } }).result;
    for (const part of result?.artifactUpdate?.artifact.parts ?? []) if (part.text) onText(part.text, at);
    const state = result?.statusUpdate?.status.state;
    if (state === 'TASK_STATE_COMPLETED') return;
    if (state && state !== 'TASK_STATE_WORKING') throw new Error(`${agent} task ended ${state}: ${frame.data.slice(0, 300)}`);
  }
  throw new Error(`${agent} stream ended before the task completed`);
}

/** Milliseconds from each tick's print to its arrival, for `count` ticks. */
async function tickLatencies(url: string, count: number): Promise<number[]> {
  const latencies: number[] = [];
  await streamTask(url, 'ticker', `ticker ${count} ${TICK_MS}`, (text, at) => {
    for (const line of text.split('\n')) {
      const stamp = /^tick \d+ (\d+\.\d+)$/.exec(line)?.[1];
      if (stamp) latencies.push(at - Number(stamp));
    }
  });
  if (latencies.length !== count) throw new Error(`ticker: ${latencies.length} of ${count} lines arrived`);
  return latencies.sort((a, b) => a - b);
}

/** MB/s of output characters from the send to the final status. */
async function hostThroughput(url: string): Promise<number> {
  let chars = 0;
  const started = performance.now();
  await streamTask(url, 'numbered', `numbered ${OUTPUT_BYTES}`, (text) => (chars += text.length));
  if (chars < OUTPUT_BYTES) throw new Error(`numbered: ${chars} of ${OUTPUT_BYTES} characters arrived`);
  return chars / MB / ((performance.now() - started) / 1000);
}

/** MB/s of the same output read straight from a pty host, acking each batch as it arrives. */
async function ptyHostThroughput(dir: string): Promise<number> {
  const taskFile = join(dir, 'task.json');
  writeFileSync(taskFile, JSON.stringify({ prompt: `numbered ${OUTPUT_BYTES}` }));
  const ptyHost = createPtyHost({ log: createLogger('silent') });
  try {
    let chars = 0;
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const proc = ptyHost.spawn(
        { file: process.execPath, args: [join(fixtures, 'numbered.js')], cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', CODETETHER_TASK_FILE: taskFile } },
        {
          onData(data, seq) {
            chars += data.length;
            proc.ack(seq);
          },
          onExit: (exit) => (exit.exitCode === 0 ? resolve() : reject(new Error(`numbered.js in the pty host: ${exit.error ?? `exit ${exit.exitCode}`}`))),
        },
      );
    });
    return chars / MB / ((performance.now() - started) / 1000);
  } finally {
    await ptyHost.stop();
  }
}

export const ptyOutputBench: Bench = {
  name: 'pty-output',
  async run(options) {
    const node = (script: string) => ({ command: process.execPath, args: [join(fixtures, script)] });
    const host = await startServeProcess(options.workDir, { agents: { ticker: node('ticker.js'), numbered: node('numbered.js') } });
    try {
      // Starts the host's pty host and warms both paths.
      await tickLatencies(host.url, Math.max(10, Math.round((options.warmupSec * 1000) / TICK_MS)));
      await hostThroughput(host.url);

      const ticks = Math.max(50, Math.round((options.durationSec * 1000) / TICK_MS));
      const latency: number[][] = [];
      const viaHost: number[] = [];
      const ptyOnly: number[] = [];
      for (let round = 0; round < options.rounds; round++) {
        const times = await tickLatencies(host.url, ticks);
        latency.push(times);
        viaHost.push(await hostThroughput(host.url));
        ptyOnly.push(await ptyHostThroughput(mkdtempSync(join(options.workDir, 'pty-'))));
        options.log(
          `round ${round + 1}/${options.rounds}: line latency p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms; ` +
            `50 MB via host ${viaHost.at(-1)!.toFixed(1)} MB/s, pty host alone ${ptyOnly.at(-1)!.toFixed(1)} MB/s`,
        );
      }
      const p50 = median(latency.map((t) => percentile(t, 50)));
      const p99 = median(latency.map((t) => percentile(t, 99)));
      const contenders: ContenderResult[] = [
        { label: `line every ${TICK_MS} ms -> SSE client (req/s = 1000 / p50)`, rps: 1000 / p50, p50Ms: p50, p99Ms: p99, runs: [] },
        { label: '50 MB -> SSE client (req/s = MB/s)', rps: median(viaHost), p50Ms: NaN, p99Ms: NaN, runs: [] },
        { label: '50 MB -> pty host client alone (req/s = MB/s)', rps: median(ptyOnly), p50Ms: NaN, p99Ms: NaN, runs: [] },
      ];
      const ratios: Ratio[] = [
        { label: `line latency: p50 target ${TARGET_P50_MS} ms / p50`, value: TARGET_P50_MS / p50, perRound: latency.map((t) => TARGET_P50_MS / percentile(t, 50)), target: 1, met: p50 < TARGET_P50_MS },
        { label: 'throughput: via host and SSE / pty host alone', value: median(viaHost.map((v, i) => v / ptyOnly[i]!)), perRound: viaHost.map((v, i) => v / ptyOnly[i]!) },
      ];
      return { name: 'pty-output', title: 'Pty output -> SSE client: line latency, and throughput of 50 MB', contenders, ratios };
    } finally {
      await host.stop();
    }
  },
};
