import { fork, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ServerSpec {
  /** Column label in the summary. */
  label: string;
  /** Entry file under test/bench/servers, without extension. */
  entry: string;
  args?: string[];
}

export interface RunningServer {
  label: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Where the child's stderr goes (request logs land here), so it costs the runner nothing. */
  logFile: string;
  /**
   * When set, the child runs with --cpu-prof and writes its profiles into `dir` on stop: one per
   * thread, since the tsx loader runs its own worker thread.
   */
  profileDir?: string;
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Starts one server under test in its own process, so the load generator never shares an
 * event loop (or a CPU time slice it could steal) with the server it measures.
 */
export function spawnServer(spec: ServerSpec, options: SpawnOptions): Promise<RunningServer> {
  const entry = fileURLToPath(new URL(`./servers/${spec.entry}.ts`, import.meta.url));
  const execArgv = ['--import', 'tsx'];
  if (options.profileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  const logFd = openSync(options.logFile, 'a');
  const child = fork(entry, spec.args ?? [], { execArgv, stdio: ['ignore', logFd, logFd, 'ipc'] });
  closeSync(logFd);

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${spec.label} did not start within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const onExit = (code: number | null) => fail(new Error(`${spec.label} exited with ${code} before listening (log: ${options.logFile})`));
    function fail(err: Error) {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.kill('SIGKILL');
      reject(err);
    }
    child.once('exit', onExit);
    child.once('message', (msg: { port: number }) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ label: spec.label, url: `http://127.0.0.1:${msg.port}`, pid: child.pid!, stop: () => stopChild(child) });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send('stop');
  });
}
