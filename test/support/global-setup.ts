// The run's guard (vitest `globalSetup`): every temp dir and every process a test starts must be
// gone when the run ends. TMPDIR points at one fresh dir for the whole run, so the test workers
// and every process they start (hosts, workers, pty agents, browsers) make their temp files there;
// the teardown fails the run listing whatever is left in it, and any process still carrying it.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { procStat } from './processes';

const runDirPrefix = 'codetether-test-run-';
/** Caches kept in TMPDIR on purpose (tsx's compile cache, shared by every process it runs): not a test's leftovers. */
const caches = [/^tsx-\d+$/];

interface Leftover {
  pid: number;
  command: string;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Live processes started under this run (TMPDIR is the run dir or a dir in it), other than vitest itself and its workers. */
export function processesOfRun(runDir: string): Leftover[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
  const marker = `TMPDIR=${runDir}`;
  const ofRun = (v: string) => v === marker || v.startsWith(`${marker}/`);
  const out: Leftover[] = [];
  for (const pid of pids) {
    if (pid === process.pid) continue;
    const environ = readProc(pid, 'environ');
    if (!environ?.split('\0').some(ofRun)) continue;
    const stat = procStat(pid);
    // A zombie is gone already; a direct child of this process is a vitest worker.
    if (!stat || stat.state === 'Z' || stat.ppid === process.pid) continue;
    out.push({ pid, command: (readProc(pid, 'cmdline') ?? '').split('\0').join(' ').trim() });
  }
  return out;
}

async function settled(runDir: string, timeoutMs: number): Promise<{ dirs: string[]; processes: Leftover[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = { dirs: readdirSync(runDir).filter((d) => !caches.some((c) => c.test(d))), processes: processesOfRun(runDir) };
    if ((state.dirs.length === 0 && state.processes.length === 0) || Date.now() > deadline) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export default function setup(): () => Promise<void> {
  const previous = process.env.TMPDIR;
  const runDir = mkdtempSync(join(tmpdir(), runDirPrefix));
  // As open as /tmp itself: test servers that run as their own user (Dovecot, PostgreSQL) use it too.
  chmodSync(runDir, 0o1777);
  process.env.TMPDIR = runDir;
  return async () => {
    // A process killed at a test's end may take a moment to exit and release its dir.
    const { dirs, processes } = await settled(runDir, 3000);
    for (const p of processes) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
    }
    rmSync(runDir, { recursive: true, force: true, maxRetries: 5 });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const problems = [
      ...dirs.map((d) => `temp dir left behind: ${d}`),
      ...processes.map((p) => `process left running (now killed): ${p.pid} ${p.command}`),
    ];
    if (problems.length === 0) return;
    process.exitCode = 1;
    throw new Error(`The tests left these behind (a test must remove what it makes: test/support/temp-dir.ts, and stop what it starts):\n  ${problems.join('\n  ')}`);
  };
}
