import { TaskState, type Task } from '@a2a-js/sdk';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../main/base/config-schema';
import { createLogger } from '../../main/base/log';
import { createPtyHost } from '../../main/workers/pty-host/client';
import { createCodebaseList } from '../../main/workers/remote/codebase-list';
import { workerCatalog } from '../../main/workers/agents/catalog';
import { openWorkerSessions } from '../../main/workers/remote/worker-sessions';
import { request, startRpcHost } from '../a2a/support';
import { tempDir } from '../support/temp-dir';
import { appDir, connected, spawnWorker, token } from './remote-support';
import { fixtures, statusText } from './support';

const paced = { command: process.execPath, args: [join(fixtures, 'paced.js')] };

/** A folder holding an executable for each of `names` (never run: the checks before launch stop the task). */
function binDir(...names: string[]): string {
  const dir = join(tempDir('codetether-bin-'), 'bin');
  mkdirSync(dir);
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

function choose(config: Record<string, unknown>, requested?: string[]) {
  const log = createLogger('silent');
  const dataDir = tempDir('codetether-worker-data-');
  const sessions = openWorkerSessions(dataDir);
  const deps = { ptyHost: createPtyHost({ log }), codebases: createCodebaseList(), sessions, log, hostEnv: { PATH: binDir() } };
  const chosen = workerCatalog(configSchema.parse({ dataDir, ...config }), requested, deps);
  sessions.close();
  return chosen;
}

describe('the agents a remote worker offers', () => {
  it('by default: every configured command agent and the built-in agents whose CLI is installed here', () => {
    const installed = binDir('opencode', 'gemini');
    const chosen = choose({ agents: { paced }, agentEnv: { opencode: { PATH: installed }, gemini: { PATH: installed } } });
    expect(chosen.ok && [...chosen.value.agents.keys()]).toEqual(['paced', 'opencode', 'gemini']);
  });

  it('by name, a built-in agent not installed too: it is offered, and named as not installed', () => {
    const chosen = choose({ agents: { paced } }, ['claude', 'paced']);
    expect(chosen.ok && [...chosen.value.agents.keys()]).toEqual(['claude', 'paced']);
    expect(chosen.ok && chosen.value.notInstalled).toEqual(['claude']);
  });

  it('refuses a command agent named like a built-in one, and a worker with no agent at all', () => {
    expect(choose({ agents: { opencode: paced } })).toEqual({ ok: false, error: 'Config "agents.opencode" has the name of a built-in agent; choose another name.' });
    const none = choose({});
    expect(none.ok).toBe(false);
    expect(!none.ok && none.error).toContain('No agents to run: install a coding agent CLI (opencode, claude, codex, gemini)');
  });

  it('the CLI names what is available when --agents names an unknown agent, and exits 2 before calling the host', async () => {
    const config = join(tempDir('codetether-worker-'), 'config.json');
    writeFileSync(config, JSON.stringify({ agents: { paced } }));
    const w = spawnWorker(['--server', 'http://127.0.0.1:1', '--token', 'ct_x', '--codebase', `app=${appDir()}`, '--agents', 'paced,nope', '--config', config]);
    expect(await w.exited).toBe(2);
    expect(w.stderr()).toContain(`codetether worker: Unknown agent "nope": neither built in nor configured under "agents" in this machine's config (--config). Available: paced, opencode, claude, codex, gemini, rlm.`);
    // One line: the usage text would bury the reason.
    expect(w.stderr().trim().split('\n')).toHaveLength(1);
  });
});

describe('a built-in agent that cannot start on the worker', () => {
  it('fails its task with the adapter\'s message: the install command for a missing CLI, how to log in for missing credentials', async () => {
    const { host, client } = await startRpcHost({ mcpPort: 0 });
    const home = tempDir('codetether-home-');
    const config = join(tempDir('codetether-worker-'), 'config.json');
    writeFileSync(config, JSON.stringify({ agentEnv: { claude: { PATH: binDir() }, codex: { PATH: binDir('codex'), HOME: home } } }));
    const w = spawnWorker(['--server', new URL(host.urls.health).origin, '--token', token(host, ['worker']), '--codebase', `app=${appDir()}`, '--agents', 'claude,codex', '--config', config], { OPENAI_API_KEY: '', CODEX_API_KEY: '' });
    await connected(w);
    expect(w.stderr()).toContain('warning: agent "claude" is not installed on this machine');

    const missing = (await client.sendMessage(request('fix it', { metadata: { agent: 'claude', codebase: 'app' } }))) as Task;
    expect(missing.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(missing)).toMatch(/^Agent "claude" cannot start: "claude" is not installed on the machine that runs it\. Install it with: npm i -g @anthropic-ai\/claude-code$/);

    const loggedOut = (await client.sendMessage(request('fix it', { metadata: { agent: 'codex', codebase: 'app' } }))) as Task;
    expect(loggedOut.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(loggedOut)).toBe('Agent "codex" has no credentials on the machine that runs it: run "codex login" there, or set OPENAI_API_KEY or CODEX_API_KEY in its environment or in its config "agentEnv.codex".');
  });
});
