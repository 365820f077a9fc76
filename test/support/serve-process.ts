import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandAgentConfig } from '../../main/base/config-schema';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { servedUrls, spawnCli, type CliProcess } from './cli-process';

export interface ServeProcess extends CliProcess {
  /** The JSON-RPC endpoint. */
  url: string;
}

export interface ServeOptions {
  /** Command agents of the host's config, each allowed on the codebase `app`. */
  agents: Record<string, CommandAgentConfig>;
  /** Node flags for the host process (a heap cap, say). */
  execArgv?: string[];
}

/**
 * `codetether serve` in its own process, so its memory and CPU are the host's alone, with the
 * codebase `app` (a folder in `dir`) registered before it starts. Resolves once it listens;
 * killed at the end of the test (spawnCli) if still running.
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
  const host = spawnCli(['serve', '--port', '0', '--data-dir', dataDir, '--config', configFile, '--log-level', 'warn'], { execArgv: options.execArgv });
  try {
    return { ...host, url: (await servedUrls(host)).a2a };
  } catch (err) {
    await host.stop();
    throw err;
  }
}
