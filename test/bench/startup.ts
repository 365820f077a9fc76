// Start-up benchmark (issue 2): `codetether serve` from spawn to a 200 on /healthz, and from
// SIGTERM to exit 0. Each sample is a fresh process on a fresh data dir, as a user starts it.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { freePort } from '../support/free-port';
import { join } from 'node:path';
import type { Bench } from './bench';
import type { Ratio } from './compare';
import { median } from './stats';

const SAMPLES_PER_ROUND = 5;
const TARGET_READY_MS = 2000;
const TARGET_STOP_MS = 2000;

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

async function sample(workDir: string): Promise<{ readyMs: number; stopMs: number }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(workDir, 'serve-'));
  const started = performance.now();
  const child = spawn(process.execPath, ['main/cli/bin.js', 'serve', '--port', String(port), '--mcp-port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    while (!(await healthy(`http://127.0.0.1:${port}/healthz`))) {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode} before answering`);
      if (performance.now() - started > 30_000) throw new Error('serve did not answer /healthz within 30 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    const readyMs = performance.now() - started;
    const stopAt = performance.now();
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`serve exited with ${code} on SIGTERM`);
    return { readyMs, stopMs: performance.now() - stopAt };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

export const startupBench: Bench = {
  name: 'startup',
  async run(options) {
    const ready: number[][] = [];
    const stop: number[][] = [];
    for (let round = 0; round < options.rounds; round++) {
      const r: number[] = [];
      const s: number[] = [];
      for (let i = 0; i < SAMPLES_PER_ROUND; i++) {
        const { readyMs, stopMs } = await sample(options.workDir);
        r.push(readyMs);
        s.push(stopMs);
      }
      ready.push(r);
      stop.push(s);
      options.log(`round ${round + 1}/${options.rounds}: ready p50 ${median(r).toFixed(0)} ms, stop p50 ${median(s).toFixed(0)} ms`);
    }
    const readyP50 = median(ready.map(median));
    const stopP50 = median(stop.map(median));
    const worstReady = Math.max(...ready.flat());
    const ratios: Ratio[] = [
      { label: `target ${TARGET_READY_MS} ms / spawn -> /healthz p50`, value: TARGET_READY_MS / readyP50, perRound: ready.map((r) => TARGET_READY_MS / median(r)), target: 1, met: readyP50 < TARGET_READY_MS },
      { label: `target ${TARGET_STOP_MS} ms / SIGTERM -> exit 0 p50`, value: TARGET_STOP_MS / stopP50, perRound: stop.map((s) => TARGET_STOP_MS / median(s)), target: 1, met: stopP50 < TARGET_STOP_MS },
    ];
    return {
      name: 'startup',
      title: `codetether serve: spawn -> /healthz 200 (worst ${worstReady.toFixed(0)} ms), SIGTERM -> exit 0`,
      contenders: [
        { label: 'spawn -> /healthz', rps: 1000 / readyP50, p50Ms: readyP50, p99Ms: worstReady, runs: [] },
        { label: 'SIGTERM -> exit', rps: 1000 / stopP50, p50Ms: stopP50, p99Ms: Math.max(...stop.flat()), runs: [] },
      ],
      ratios,
    };
  },
};
