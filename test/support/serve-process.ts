import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandAgentConfig } from '../../main/base/config-schema';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { registerCodebase } from '../../main/workers/workspace/codebases';

const bin = resolve(import.meta.dirname, '../../main/cli/bin.js');

export interface ServeProcess {
  child: ChildProcess;
  /** The JSON-RPC endpoint. */
  url: string;
  /** SIGKILLs the host if it still runs. */
  kill(): void;
}

export interface ServeOptions {
  /** Command agents of the host's config, each allowed on the codebase `app`. */
  agents: Record<string, CommandAgentConfig>;
  /** Node flags for the host process (a heap cap, say). */
  execArgv?: string[];
}

/**
 * `codetether serve` in its own process, so its memory and CPU are the host's alone, with the
 * codebase `app` (a folder in `dir`) registered before it starts. Resolves once it listens.
 */
export async function startServeProcess(dir: string, options: ServeOptions): Promise<ServeProcess> {
  const dataDir = join(dir, 'data');
  const app = join(dir, 'app');
  mkdirSync(app, { recursive: true });
  const db = openDatabase(join(dataDir, 'codetether.db'));
  try {
    const added = registerCodebase(createCodebaseRepository(db), { name: 'app', path: app, knownAgents: Object.keys(options.agents), now: Date.now() });
    if (!added.ok) throw new Error(added.error);
  } finally {
    closeDatabase(db);
  }
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ mcpPort: 0, agents: options.agents }));

  const args = [...(options.execArgv ?? []), bin, 'serve', '--port', '0', '--data-dir', dataDir, '--config', configFile, '--log-level', 'warn'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const url = /A2A:\s+(\S+)/.exec(out)?.[1];
    if (url) return { child, url, kill };
    if (child.exitCode !== null || Date.now() > deadline) {
      kill();
      throw new Error(`serve did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
