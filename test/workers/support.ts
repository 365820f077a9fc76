import type { Task } from '@a2a-js/sdk';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { CommandAgentConfig } from '../../main/base/config-schema';
import { createLogger } from '../../main/base/log';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { createCommandAdapter } from '../../main/workers/adapters/command';
import { createPtyAgent } from '../../main/workers/agents/pty-agent';
import { createPtyHost } from '../../main/workers/pty-host/client';
import { openCore } from '../support/task-core';

export const fixtures = join(import.meta.dirname, '../fixtures/agents');

/** The minimal environment a pty agent gets in these tests; TMPDIR keeps it within the run guard's sight (test/support/global-setup.ts). */
export function agentEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', TERM: 'xterm-256color', TMPDIR: tmpdir() };
}

/** The text of the task's status message ('' without one). */
export function statusText(task: Task): string {
  const part = task.status?.message?.parts[0]?.content;
  return part?.$case === 'text' ? part.value : '';
}

/**
 * A task core in `dir` running these command agents in a real pty host, on the codebases
 * `folders` (name -> an existing folder); closed when the test ends.
 */
export function commandAgentCore(dir: string, agents: Record<string, CommandAgentConfig>, folders: Record<string, string>, options: { defaultCodebase?: string; worktreesDir?: string } = {}) {
  const db = openDatabase(join(dir, 'codetether.db'));
  const codebases = createCodebaseRepository(db);
  const ptyHost = createPtyHost({ log: createLogger('silent') });
  for (const [name, path] of Object.entries(folders)) {
    const r = registerCodebase(codebases, { name, path, knownAgents: Object.keys(agents), now: Date.now() });
    if (!r.ok) throw new Error(r.error);
  }
  const deps = { ptyHost, codebases, worktreesDir: options.worktreesDir, defaultCodebase: options.defaultCodebase, log: createLogger('silent') };
  const core = openCore(dir, Object.entries(agents).map(([name, agent]) => createPtyAgent(createCommandAdapter(name, agent), deps)));
  onTestFinished(async () => {
    await core.close();
    await ptyHost.stop();
    closeDatabase(db);
  });
  return { tasks: core.tasks, ptyHost, codebases, db };
}
