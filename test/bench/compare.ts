import { join } from 'node:path';
import { spawnServer, type RunningServer, type ServerSpec } from './child';
import { startCpuShare, type CpuShare } from './cpu';
import { failureCount, runLoad, type LoadResult, type LoadSpec } from './load';
import { median } from './stats';

export interface Contender extends ServerSpec {
  load: LoadSpec;
  /** Checks one real answer before any load, so a bench never measures errors. Throws on a wrong answer. */
  probe(baseUrl: string): Promise<void>;
}

export interface CompareOptions {
  durationSec: number;
  warmupSec: number;
  rounds: number;
  workDir: string;
  /** Contenders whose label passes `match` run under --cpu-prof, writing into `<dir>/<label slug>/`. */
  profile?: { dir: string; match(label: string): boolean };
  log(line: string): void;
}

export interface ContenderResult {
  label: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** One load run per round, in round order. */
  runs: LoadResult[];
  /** Medians over rounds of where the CPU went, when the platform tells (Linux). */
  cpu?: CpuShare;
}

/**
 * Runs every contender in its own child process, warms each up, then measures them in
 * `rounds` rounds, rotating who goes first, so drift in a shared noisy machine hits all of
 * them alike. Any failed request (error, timeout, non-2xx, wrong body) fails the bench.
 */
export async function compare(contenders: Contender[], options: CompareOptions): Promise<ContenderResult[]> {
  const running: RunningServer[] = [];
  try {
    for (const c of contenders) {
      const profileDir = options.profile?.match(c.label) ? join(options.profile.dir, slug(c.label)) : undefined;
      const logFile = join(options.workDir, `${slug(c.label)}.log`);
      running.push(await spawnServer(c, { logFile, profileDir }));
      await c.probe(running.at(-1)!.url);
    }
    for (const [i, c] of contenders.entries()) {
      options.log(`warm-up ${c.label}`);
      check(c, await runLoad(running[i]!.url, c.load, options.warmupSec));
    }
    const runs: LoadResult[][] = contenders.map(() => []);
    const cpu: (CpuShare | undefined)[][] = contenders.map(() => []);
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const i = (k + round) % contenders.length;
        const c = contenders[i]!;
        const stopCpu = startCpuShare(running[i]!.pid);
        const result = check(c, await runLoad(running[i]!.url, c.load, options.durationSec));
        cpu[i]![round] = stopCpu(result.requests);
        options.log(`round ${round + 1}/${options.rounds} ${c.label}: ${Math.round(result.rps)} req/s`);
        runs[i]![round] = result;
      }
    }
    return contenders.map((c, i) => ({
      label: c.label,
      rps: median(runs[i]!.map((r) => r.rps)),
      p50Ms: median(runs[i]!.map((r) => r.p50Ms)),
      p99Ms: median(runs[i]!.map((r) => r.p99Ms)),
      runs: runs[i]!,
      cpu: medianCpu(cpu[i]!),
    }));
  } finally {
    await Promise.all(running.map((s) => s.stop()));
  }
}

function medianCpu(shares: (CpuShare | undefined)[]): CpuShare | undefined {
  const known = shares.filter((s): s is CpuShare => s !== undefined);
  if (known.length === 0) return undefined;
  return {
    serverUsPerReq: median(known.map((s) => s.serverUsPerReq)),
    serverPct: median(known.map((s) => s.serverPct)),
    loadgenPct: median(known.map((s) => s.loadgenPct)),
  };
}

function slug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function check(c: Contender, result: LoadResult): LoadResult {
  if (failureCount(result) > 0 || result.requests === 0) {
    throw new Error(`${c.label}: ${result.requests} requests, failures ${JSON.stringify(result.failures)}; the bench measures only correct answers`);
  }
  return result;
}

export interface Ratio {
  label: string;
  /** Median over rounds of (numerator rps / denominator rps) measured in the same round. */
  value: number;
  perRound: number[];
  target?: number;
  met?: boolean;
}

/** A ratio per round (the two runs sit next to each other in time), then the median of those. */
export function ratio(label: string, num: ContenderResult, den: ContenderResult, target?: number): Ratio {
  const perRound = num.runs.map((r, i) => r.rps / den.runs[i]!.rps);
  const value = median(perRound);
  return target === undefined ? { label, value, perRound } : { label, value, perRound, target, met: value >= target };
}
