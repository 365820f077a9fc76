import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Host } from '../../main/host/host';
import type { Scope } from '../../main/auth/scopes';
import { spawnCli, type CliProcess } from '../support/cli-process';
import { tempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';
import { fixtures } from './support';

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

/**
 * `codetether worker` as its own process; killed (SIGKILL) when the test ends if still running.
 * Its data dir (worker.db) is a temp dir unless `args` name one.
 */
export function spawnWorker(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  return spawnCli(['worker', ...args], { env: { ...process.env, CODETETHER_WORKER_TOKEN: '', CODETETHER_DATA_DIR: tempDir('codetether-worker-data-'), ...env } });
}

/** Resolves once the worker printed that it registered; rejects with its stderr if it exits first. */
export async function connected(w: CliProcess, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    () => {
      if (w.child.exitCode !== null) throw new Error(`worker exited ${w.child.exitCode}: ${w.stderr()}`);
      return w.stdout().includes('connected to');
    },
    timeoutMs,
    'the worker to connect',
  ).catch((err: Error) => {
    throw new Error(`${err.message}; its stderr: ${w.stderr()}`);
  });
}
