import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { onTestFinished } from 'vitest';
import type { Host } from '../../main/host/host';
import type { Scope } from '../../main/auth/scopes';
import { tempDir } from '../support/temp-dir';
import { fixtures } from './support';

export const bin = resolve(import.meta.dirname, '../../main/cli/bin.js');

/** A config file holding the `paced` command agent (test/fixtures/agents/paced.js), as a worker machine would have it. */
export function workerConfig(): string {
  const dir = tempDir('codetether-worker-');
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ agents: { paced: { command: process.execPath, args: [join(fixtures, 'paced.js')] } } }));
  return file;
}

/** A folder for the worker's codebase `app`. */
export function appDir(): string {
  const dir = join(tempDir('codetether-app-'), 'app');
  mkdirSync(dir);
  return dir;
}

export function token(host: Host, scopes: Scope[], name = `t-${Math.random().toString(36).slice(2)}`): string {
  const created = host.tokens.create({ name, scopes });
  if (!created.ok) throw new Error('token not created');
  return created.token;
}

export interface WorkerProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/**
 * `codetether worker` as its own process; killed (SIGKILL) when the test ends if still running.
 * Its data dir (worker.db) is a temp dir unless `args` name one.
 */
export function spawnWorker(args: string[], env: NodeJS.ProcessEnv = {}): WorkerProcess {
  const childEnv = { ...process.env, CODETETHER_WORKER_TOKEN: '', CODETETHER_DATA_DIR: tempDir('codetether-worker-data-'), ...env };
  const child = spawn(process.execPath, [bin, 'worker', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves once the worker printed that it registered; rejects with its stderr if it exits first. */
export async function connected(w: WorkerProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!w.stdout().includes('connected to')) {
    if (w.child.exitCode !== null) throw new Error(`worker exited ${w.child.exitCode}: ${w.stderr()}`);
    if (Date.now() > deadline) throw new Error(`worker did not connect: ${w.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
