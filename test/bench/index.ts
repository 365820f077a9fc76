// `npm run bench`: runs each benchmark, prints a summary of ratios and absolute numbers, and
// writes everything to test-results/bench.json. Exits non-zero when a bench could not measure
// (a server failed to start or answered wrongly); a missed target is reported, not fatal.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { a2aBench } from './a2a-send';
import { ArgsError, parseArgs, type BenchArgs } from './args';
import { dispatchBench } from './dispatch';
import type { Bench, BenchReport } from './bench';
import { httpBench } from './http-framework';
import { monitorFeedBench } from './monitor-feed';
import { CONNECTIONS } from './load';
import { summarizeProfiles } from './profile';
import { ptyOutputBench } from './pty-output';
import { relayBench } from './relay';
import { rlmBench } from './rlm';
import { startupBench } from './startup';
import { syncBench } from './sync';
import { formatReport } from './table';

const benches: Bench[] = [startupBench, httpBench, a2aBench, syncBench, relayBench, dispatchBench, ptyOutputBench, rlmBench, monitorFeedBench];
const resultsDir = resolve('test-results');

async function main(args: BenchArgs): Promise<number> {
  const unknown = args.only?.filter((n) => !benches.some((b) => b.name === n)) ?? [];
  if (unknown.length) throw new ArgsError(`unknown bench ${unknown.join(', ')}; have ${benches.map((b) => b.name).join(', ')}`);
  const selected = benches.filter((b) => !args.only || args.only.includes(b.name));
  const profileDir = join(resultsDir, 'bench-profiles');
  mkdirSync(resultsDir, { recursive: true });
  if (args.profile) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }

  const reports: BenchReport[] = [];
  const failures: { bench: string; error: string }[] = [];
  for (const bench of selected) {
    const workDir = mkdtempSync(join(tmpdir(), `codetether-bench-${bench.name}-`));
    process.stderr.write(`\n== ${bench.name} ==\n`);
    try {
      const report = await bench.run({
        durationSec: args.durationSec,
        warmupSec: args.warmupSec,
        rounds: args.rounds,
        workDir,
        profile: args.profile ? { dir: profileDir, match: (label) => label.startsWith('ours') } : undefined,
        log: (line) => process.stderr.write(`  ${line}\n`),
      });
      reports.push(report);
      process.stdout.write('\n' + formatReport(report, args.rounds, args.durationSec) + '\n');
    } catch (err) {
      failures.push({ bench: bench.name, error: (err as Error).message });
      process.stdout.write(`\n${bench.name}: FAILED: ${(err as Error).message}\n`);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  if (args.profile) process.stdout.write('\n' + summarizeProfiles(profileDir) + '\n');

  const out = join(resultsDir, 'bench.json');
  writeFileSync(
    out,
    JSON.stringify(
      {
        finishedAt: new Date().toISOString(),
        machine: { node: process.version, cpus: availableParallelism(), loadavg: loadavg() },
        options: { ...args, connections: CONNECTIONS },
        reports,
        failures,
      },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`\nwrote ${out}\n`);
  return failures.length ? 1 : 0;
}

try {
  process.exitCode = await main(parseArgs(process.argv.slice(2)));
} catch (err) {
  if (!(err instanceof ArgsError)) throw err;
  if (err.message) process.stderr.write(`${err.message}\n`);
  process.stderr.write(`${err.usage}\n`);
  process.exitCode = 2;
}
