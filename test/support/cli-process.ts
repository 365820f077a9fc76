import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { whenDone } from './cleanup';
import { tempDir } from './temp-dir';
import { waitFor } from './wait';

const root = join(import.meta.dirname, '../..');
/** The `codetether` command (package.json's bin). */
export const cliBin = join(root, 'main/cli/bin.js');

/**
 * A TMPDIR of the process's own. tsx keeps its compile cache in TMPDIR (`tsx-UID`): a link to the
 * run's cache spares each process compiling every source again.
 */
function processTmpDir(): string {
  const dir = tempDir('codetether-process-');
  const cache = `tsx-${process.getuid?.() ?? 0}`;
  mkdirSync(join(tmpdir(), cache), { recursive: true });
  symlinkSync(join(tmpdir(), cache), join(dir, cache));
  return dir;
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** What it wrote to stdout so far. */
  stdout(): string;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (null when a signal ended it) once it exited and its output is read. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` (SIGKILL by default) if it still runs, and waits for its exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface CliOptions {
  /** The whole environment of the process; this one's by default. */
  env?: NodeJS.ProcessEnv;
  /** Node flags (a heap cap, say). */
  execArgv?: string[];
  /** A pipe to write its stdin through; otherwise stdin is closed. */
  stdin?: boolean;
}

/**
 * `codetether ARGS` in its own process, from the repository root. Killed when the test ends,
 * or, started outside a test, when the test file is done, if it still runs by then: a test
 * never leaves one behind. Its TMPDIR is a temp dir of its own, removed after it is killed, so
 * what a killed process could not clean up (a task file, say) goes too.
 */
export function spawnCli(args: string[], options: CliOptions = {}): CliProcess {
  const child = spawn(process.execPath, [...(options.execArgv ?? []), cliBin, ...args], {
    cwd: root,
    env: { ...(options.env ?? process.env), TMPDIR: processTmpDir() },
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const closed = (stream: NodeJS.ReadableStream) => new Promise((resolve) => stream.once('close', resolve));
  const output = Promise.all([closed(child.stdout!), closed(child.stderr!)]);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      // The last output may still be in the pipes; a grandchild holding them open must not hold this up.
      void Promise.race([output, new Promise((r) => setTimeout(r, 500))]).then(() => resolve(code));
    }),
  );
  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  whenDone(() => stop());
  return { child, stdout: () => out, stderr: () => err, exited, stop };
}

export interface ServedUrls {
  /** The JSON-RPC endpoint. */
  a2a: string;
  health: string;
  /** `http://HOST:PORT` */
  origin: string;
}

/** The URLs `codetether serve` (or `desktop`) prints once it listens; throws with its output if it exits first or takes too long. */
export async function servedUrls(p: CliProcess, timeoutMs = 30_000): Promise<ServedUrls> {
  let health: string;
  try {
    health = await waitFor(
      () => {
        const url = /Health:\s+(\S+)/.exec(p.stdout())?.[1];
        if (!url && p.child.exitCode !== null) throw new Error(`codetether exited (${p.child.exitCode}) before listening`);
        return url;
      },
      timeoutMs,
      'codetether to listen',
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; its output:\n${p.stdout()}${p.stderr()}`);
  }
  return { health, a2a: /A2A:\s+(\S+)/.exec(p.stdout())![1]!, origin: new URL(health).origin };
}
