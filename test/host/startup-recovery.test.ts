import { readFileSync, writeFileSync } from 'node:fs';
import { freePort } from '../support/free-port';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { spawnCli } from '../support/cli-process';
import { tempDir } from '../support/temp-dir';

async function rpc(port: number, method: string, params: unknown): Promise<{ result?: Record<string, unknown>; error?: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}/a2a`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as { result?: Record<string, unknown>; error?: unknown };
}

describe('start-up', () => {
  it('a task sent at the first moment the port answers runs once: recovery finished before anything was accepted', async () => {
    const dir = tempDir();
    const runs = join(dir, 'runs.txt');
    writeFileSync(runs, '');
    // Each run of the agent leaves one line, then works for a while, as a real agent would.
    const agent = `require('fs').appendFileSync(${JSON.stringify(runs)}, process.pid + '\\n'); setTimeout(() => console.log('done'), 1500);`;
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ mcpPort: 0, defaultAgent: 'marker', agents: { marker: { command: process.execPath, args: ['-e', agent] } } }));
    const db = openDatabase(join(dir, 'data', 'codetether.db'));
    registerCodebase(createCodebaseRepository(db), { name: 'app', path: dir, knownAgents: ['marker'], now: Date.now() });
    closeDatabase(db);
    const port = await freePort();
    spawnCli(['serve', '--port', String(port), '--data-dir', join(dir, 'data'), '--config', configFile, '--log-level', 'warn']);

    const deadline = Date.now() + 20_000;
    for (;;) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error('the host never answered');
      await new Promise((r) => setTimeout(r, 5));
    }
    const sent = await rpc(port, 'SendMessage', {
      message: { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'go' }] },
      configuration: { returnImmediately: true },
    });
    const taskId = (sent.result as { task: { id: string } }).task.id;

    let state = '';
    while (!['TASK_STATE_COMPLETED', 'TASK_STATE_FAILED'].includes(state)) {
      if (Date.now() > deadline) throw new Error(`the task did not end: ${state}`);
      await new Promise((r) => setTimeout(r, 100));
      const got = await rpc(port, 'GetTask', { id: taskId, historyLength: 10 });
      state = ((got.result as { status: { state: string } }).status.state);
    }
    expect(state, JSON.stringify((await rpc(port, 'GetTask', { id: taskId })).result)).toBe('TASK_STATE_COMPLETED');
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toHaveLength(1);
    const history = JSON.stringify((await rpc(port, 'GetTask', { id: taskId, historyLength: 50 })).result);
    expect(history).not.toContain('requeued');
  });
});
