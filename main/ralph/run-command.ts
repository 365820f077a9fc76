import { spawn } from 'node:child_process';
import { splitCommand } from './words';

export interface CommandResult {
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr as they came, the last `keepBytes` of it when longer. */
  output: string;
  durationMs: number;
  /** Why it could not run at all (not found, bad words), or the signal that ended it. */
  error: string | null;
}

export interface RunOptions {
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  keepBytes?: number;
  env?: NodeJS.ProcessEnv;
}

const KEEP_BYTES = 64 * 1024;
const KILL_GRACE_MS = 1000;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/**
 * Runs one command line as argv (split like a shell would, run without one) in `cwd`, in a
 * process group of its own so a timeout or an abort ends everything it started: SIGTERM, then
 * SIGKILL a second later. Never rejects.
 */
export function runCommand(text: string, options: RunOptions): Promise<CommandResult> {
  const started = Date.now();
  const split = splitCommand(text);
  if (!split.ok) return Promise.resolve({ exitCode: null, timedOut: false, output: '', durationMs: 0, error: split.error });
  const keep = options.keepBytes ?? KEEP_BYTES;
  const [file, ...args] = split.argv as [string, ...string[]];
  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let dropped = false;
    let timedOut = false;
    const append = (b: Buffer) => {
      chunks.push(b);
      size += b.length;
      if (size > keep * 2) {
        const all = Buffer.concat(chunks).subarray(-keep);
        chunks = [all];
        size = all.length;
        dropped = true;
      }
    };
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stop = () => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = () => stop();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) stop();
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const finish = (exitCode: number | null, error: string | null) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      let output = Buffer.concat(chunks).subarray(-keep).toString('utf8');
      if (dropped || size > keep) output = `[earlier output dropped]\n${output}`;
      resolve({ exitCode, timedOut, output, durationMs: Date.now() - started, error });
    };
    child.on('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      finish(null, code === 'ENOENT' ? `"${file}" was not found on PATH or in ${options.cwd}` : `cannot start "${file}": ${err.message}`);
    });
    // A process that exits may leave its group behind, holding the pipes open: end it.
    child.on('exit', () => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'));
    child.on('close', (code, sig) => {
      if (timedOut) return finish(code, `timed out after ${options.timeoutMs >= 1000 ? `${Math.round(options.timeoutMs / 1000)} s` : `${options.timeoutMs} ms`}`);
      finish(code, sig ? `ended by ${sig}` : null);
    });
  });
}
