import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Where the CPU went during one load run: the server's process, and this one (autocannon). */
export interface CpuShare {
  /** Server CPU time (user + system, all threads) per completed request. */
  serverUsPerReq: number;
  /** Server CPU over the run's wall time, in percent of one core. */
  serverPct: number;
  /** The load generator's (this process's) CPU over the run's wall time. */
  loadgenPct: number;
}

let ticksPerSecond: number | undefined;

/** A process's CPU seconds so far from /proc (Linux); undefined elsewhere or when it is gone. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    // Fields after the parenthesized command name: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/**
 * Starts measuring; the returned function ends it for `requests` completed requests. Tells a
 * server-bound run (server near 100%) from one bound by the load generator, which shares the
 * machine: a ratio against a client-bound baseline measures the client too.
 */
export function startCpuShare(serverPid: number): (requests: number) => CpuShare | undefined {
  const server0 = processCpuSeconds(serverPid);
  const self0 = process.cpuUsage();
  const wall0 = performance.now();
  return (requests) => {
    const server1 = processCpuSeconds(serverPid);
    if (server0 === undefined || server1 === undefined || requests === 0) return undefined;
    const wall = (performance.now() - wall0) / 1000;
    const self = process.cpuUsage(self0);
    return {
      serverUsPerReq: ((server1 - server0) * 1e6) / requests,
      serverPct: ((server1 - server0) / wall) * 100,
      loadgenPct: ((self.user + self.system) / 1e6 / wall) * 100,
    };
  };
}
