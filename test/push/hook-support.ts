import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { askAgent, failAgent } from '../support/agents';
import { startTestHost, type ConfigFlags, type TestHost, type TestHostOptions } from '../support/host';
import { tempDir } from '../support/temp-dir';
import { api } from '../support/http-api';

/**
 * A real host on 127.0.0.1 whose webhooks may reach this machine and retry fast, with the test
 * agents `ask` (input-required) and `fail` besides echo; stopped when the test ends.
 */
export function hookHost(config: ConfigFlags = {}, options: Omit<TestHostOptions, 'config'> = {}): Promise<TestHost> {
  return startTestHost({
    config: { pushAllowlist: ['127.0.0.1'], pushBaseDelayMs: 20, pushMaxDelayMs: 200, pushTimeoutMs: 2000, shutdownGraceMs: 300, ...config },
    agents: [askAgent, failAgent],
    ...options,
  });
}

/** Registers each name as a codebase of the host, on a temp folder of its own. */
export function addCodebases(test: TestHost, ...names: string[]): void {
  const repo = createCodebaseRepository(test.host.db);
  for (const name of names) {
    const added = registerCodebase(repo, { name, path: tempDir(), knownAgents: ['echo'], now: Date.now() });
    if (!added.ok) throw new Error(added.error);
  }
}

/** Sends a message over A2A HTTP+JSON without waiting for its end; returns the task id. */
export async function sendTask(base: string, text: string, metadata: Record<string, unknown> = {}): Promise<string> {
  const r = await api<{ task?: { id: string } }>(base, '/v1/message:send', {
    body: { message: { messageId: crypto.randomUUID(), role: 'ROLE_USER', parts: [{ text }] }, metadata, configuration: { returnImmediately: true } },
  });
  if (r.status !== 200 || !r.body.task) throw new Error(`send: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.task.id;
}

export { api };
