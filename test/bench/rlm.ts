// RLM bench (issue 16): what the sandbox costs per step, and what a 50 MB input costs the host.
// Step overhead: a trivial step (host -> worker thread -> QuickJS -> host) and a step making one
// sub-call (QuickJS -> host function -> shared-memory wait -> the host's answer), timed many times
// in this process. Memory: test/bench/rlm-memory.ts in a process of its own, so its RSS is the
// sandbox's and the input's alone.
import { execFileSync } from 'node:child_process';
import { createWriteStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../main/rlm/sandbox/sandbox';
import type { Bench } from './bench';
import type { ContenderResult } from './compare';

const MB = 1024 * 1024;
const INPUT_BYTES = 50 * MB;
/** The most host memory a 50 MB input may cost, as a multiple of its size ("a few times"). */
const MEMORY_TARGET = 4;
/** Issue 16: the host answers /healthz within 100 ms while a sandbox runs. */
const HEALTH_TARGET_MS = 100;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function writeInput(file: string): Promise<void> {
  const out = createWriteStream(file);
  const line = 'the archive hums quietly while the quick brown fox jumps over the lazy dog, line ';
  let written = 0;
  for (let i = 0; written < INPUT_BYTES; i++) {
    const text = `${line}${i}\n`;
    written += text.length;
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** A sandbox holding a small context, whose sub-calls answer at once. */
async function smallSandbox(): Promise<Sandbox> {
  const sandbox = await startSandbox({
    caps: { memoryBytes: 64 * MB, stackBytes: 512 * 1024, outputChars: 10_000, promptChars: 10_000, batchMax: 25 },
    subCalls: async (prompts) => ({ ok: true, texts: prompts.map(() => 'ok') }),
  });
  await sandbox.load((async function* () {
    yield { name: 'small', pieces: async function* () { yield 'small context'; } };
  })(), true);
  return sandbox;
}

async function stepTimes(code: string, count: number): Promise<number[]> {
  const sandbox = await smallSandbox();
  try {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      const result = await sandbox.run(code, Date.now() + 10_000);
      times.push(performance.now() - t);
      if (result.lost || result.error) throw new Error(`step failed: ${result.lost ? result.message : result.error}`);
    }
    return times.sort((a, b) => a - b);
  } finally {
    await sandbox.dispose();
  }
}

/**
 * The worst /healthz round trip to an HTTP server on this thread while a sandbox step spins
 * until its deadline: the step runs in a worker thread, so the host's thread must stay free.
 */
async function healthWhileSpinning(spinMs: number): Promise<{ worstMs: number; probes: number }> {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  const sandbox = await smallSandbox();
  try {
    let spinning = true;
    const latencies: number[] = [];
    const probing = (async () => {
      while (spinning) {
        const t = performance.now();
        await (await fetch(url)).text();
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const result = await sandbox.run('while (true) {}', Date.now() + spinMs);
    spinning = false;
    await probing;
    if (!result.lost && !result.error) throw new Error('the spinning step was not stopped at its deadline');
    return { worstMs: Math.max(...latencies), probes: latencies.length };
  } finally {
    await sandbox.dispose();
    await new Promise((r) => server.close(r));
  }
}

export const rlmBench: Bench = {
  name: 'rlm',
  async run(options) {
    const contenders: ContenderResult[] = [];
    const count = Math.max(200, Math.round(options.durationSec * 200));
    for (const [label, code] of [
      ['sandbox step: print(1), host <-> worker <-> QuickJS', 'print(1)'],
      ['sandbox step with one llm_query (instant answer)', 'print(llm_query("q"))'],
    ] as const) {
      await stepTimes(code, 50);
      const rounds: number[][] = [];
      for (let r = 0; r < options.rounds; r++) rounds.push(await stepTimes(code, count));
      const all = rounds.flat().sort((a, b) => a - b);
      const p50 = percentile(all, 50);
      options.log(`${label}: p50 ${(p50 * 1000).toFixed(0)} µs, p99 ${(percentile(all, 99) * 1000).toFixed(0)} µs over ${all.length} steps`);
      contenders.push({ label: `${label} (steps/s = 1000 / p50)`, rps: 1000 / p50, p50Ms: p50, p99Ms: percentile(all, 99), runs: [] });
    }

    const health: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      const { worstMs, probes } = await healthWhileSpinning(2000);
      health.push(worstMs);
      options.log(`/healthz while a step spins 2 s: worst ${worstMs.toFixed(1)} ms over ${probes} probes`);
    }

    const input = join(options.workDir, 'input.txt');
    await writeInput(input);
    const size = statSync(input).size;
    const runs = [];
    for (let r = 0; r < options.rounds; r++) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'rlm-memory.ts'), input], { encoding: 'utf8', maxBuffer: MB });
      const run = JSON.parse(out.trim().split('\n').at(-1)!) as { before: number; peak: number; chars: number; length: string; found: string; startMs: number; loadMs: number; stepsMs: number };
      if (run.chars !== size || run.length !== String(size) || run.found !== '-1') throw new Error(`50 MB run answered wrongly: ${out}`);
      runs.push(run);
      options.log(`50 MB input: RSS ${(run.before / MB).toFixed(0)} -> peak ${(run.peak / MB).toFixed(0)} MB (+${((run.peak - run.before) / size).toFixed(2)}x the input); sandbox start ${run.startMs.toFixed(0)} ms, load ${run.loadMs.toFixed(0)} ms, two steps ${run.stepsMs.toFixed(0)} ms`);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const growth = median(runs.map((r) => (r.peak - r.before) / size));
    return {
      name: 'rlm',
      title: 'RLM sandbox: overhead per step; host memory for a 50 MB input',
      contenders,
      ratios: [
        { label: `host RSS growth for a 50 MB input / its size (at most ${MEMORY_TARGET}x)`, value: growth, perRound: runs.map((r) => (r.peak - r.before) / size), target: undefined, met: growth <= MEMORY_TARGET },
        { label: `worst /healthz ms while a sandbox step spins (at most ${HEALTH_TARGET_MS} ms)`, value: Math.max(...health), perRound: health, target: undefined, met: Math.max(...health) <= HEALTH_TARGET_MS },
      ],
      measures: [
        { label: 'RSS before the sandbox', value: median(runs.map((r) => r.before / MB)), unit: 'MB' },
        { label: 'peak RSS, 50 MB loaded and searched', value: median(runs.map((r) => r.peak / MB)), unit: 'MB' },
        { label: 'sandbox start (worker thread + QuickJS)', value: median(runs.map((r) => r.startMs)), unit: 'ms' },
        { label: 'loading 50 MB into the sandbox', value: median(runs.map((r) => r.loadMs)), unit: 'ms' },
        { label: 'context.length + a full indexOf over 50 MB', value: median(runs.map((r) => r.stepsMs)), unit: 'ms' },
      ],
    };
  },
};
