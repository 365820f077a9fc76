import { TaskState } from '@a2a-js/sdk';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { startTestHost } from '../support/host';
import { userMessage } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { fixtures } from './support';
import { alive } from '../support/processes';
import { waitFor } from '../support/wait';

const start = async (dataDir: string, agents: Record<string, unknown>) => (await startTestHost({ dataDir, config: { shutdownGraceMs: 200, agents } })).host;

describe('host wiring of command agents', () => {
  it('serves config agents beside echo, and its stop ends their process trees', async () => {
    const dir = tempDir();
    const host = await start(dir, { tree: { command: process.execPath, args: [join(fixtures, 'tree.js')] } });
    try {
      mkdirSync(join(dir, 'repo'));
      const added = registerCodebase(createCodebaseRepository(host.db), { name: 'repo', path: join(dir, 'repo'), knownAgents: ['tree'], now: Date.now() });
      expect(added.ok).toBe(true);
      const echo = await host.tasks.settled((await host.tasks.send({ message: userMessage('hi') })).task.id);
      expect(echo.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

      const { task } = await host.tasks.send({ message: userMessage('x', { metadata: { agent: 'tree' } }) });
      let pids: number[] = [];
      expect(
        await waitFor(() => {
          const part = host.tasks.get(task.id).artifacts[0]?.parts[0]?.content;
          const m = part?.$case === 'text' ? /pids (\d+) (\d+)/.exec(part.value) : null;
          pids = m ? [Number(m[1]), Number(m[2])] : [];
          return pids.length === 2;
        }, 10_000),
      ).toBe(true);
      await host.stop();
      expect(pids.some(alive)).toBe(false);
    } finally {
      await host.stop();
    }
  });

  it('runs a message that names no agent with its codebase\'s default agent, else the host default', async () => {
    const dir = tempDir();
    const host = await start(dir, { lines: { command: process.execPath, args: [join(fixtures, 'lines.js'), '3'] } });
    try {
      mkdirSync(join(dir, 'repo'));
      const added = registerCodebase(createCodebaseRepository(host.db), { name: 'repo', path: join(dir, 'repo'), defaultAgent: 'lines', knownAgents: ['lines', 'echo'], now: Date.now() });
      expect(added.ok).toBe(true);
      const agentOf = async (metadata: Record<string, unknown> | undefined) => {
        const { task } = await host.tasks.send({ message: userMessage('go', metadata ? { metadata } : {}) });
        return host.db.prepare('SELECT agent FROM tasks WHERE id = ?').pluck().get(task.id);
      };
      expect(await agentOf({ codebase: 'repo' })).toBe('lines');
      expect(await agentOf({ codebase: 'repo', agent: 'echo' })).toBe('echo');
      expect(await agentOf(undefined)).toBe('echo');
    } finally {
      await host.stop();
    }
  });

  it('refuses a config agent named like a built-in one', async () => {
    await expect(start(tempDir(), { echo: { command: 'echo' } })).rejects.toThrow('Config "agents.echo" has the name of a built-in agent');
  });

  it('streams a command agent\'s Message answer as exactly one Message, over JSON-RPC', async () => {
    const dir = tempDir();
    const host = await start(dir, { proto: { command: process.execPath, args: [join(fixtures, 'protocol.js')] } });
    try {
      mkdirSync(join(dir, 'repo'));
      expect(registerCodebase(createCodebaseRepository(host.db), { name: 'repo', path: join(dir, 'repo'), knownAgents: ['proto'], now: Date.now() }).ok).toBe(true);
      const started = Date.now();
      const res = await fetch(host.urls.a2a, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendStreamingMessage', params: { message: { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'reply now' }], metadata: { agent: 'proto' } } } }),
      });
      const frames = (await res.text()).split('\n\n').filter((b) => b.includes('data: '));
      const results = frames.map((f) => (JSON.parse(f.slice(f.indexOf('data: ') + 6)) as { result: Record<string, unknown> }).result);
      expect(results, `after ${Date.now() - started} ms`).toEqual([{ message: expect.objectContaining({ role: 'ROLE_AGENT', parts: [{ text: 'quick answer to now' }] }) }]);
    } finally {
      await host.stop();
    }
  });
});
