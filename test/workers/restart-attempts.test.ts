import { TaskState } from '@a2a-js/sdk';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../main/host/host';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { blockerAgent } from '../support/agents';
import { startTestHost } from '../support/host';
import { userMessage } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { fixtures, statusText } from './support';
import { waitFor } from '../support/wait';

describe('host restart and maxAttempts', () => {
  it('a run lost to a restart costs an attempt, said in the event log; at maxAttempts the task fails with the reason', async () => {
    const dataDir = tempDir('codetether-attempts-');
    const start = async (): Promise<Host> => (await startTestHost({ dataDir, config: { shutdownGraceMs: 100, maxAttempts: 2 }, agents: [blockerAgent] })).host;
    const working = (host: Host, id: string) => waitFor(() => host.tasks.get(id).status?.state === TaskState.TASK_STATE_WORKING, 5000);

    const first = await start();
    const { task } = await first.tasks.send({ message: userMessage('block'), metadata: { agent: 'blocker' } });
    expect(await working(first, task.id)).toBe(true);
    // Stop leaves the task working, as a crash would: the agent's run is gone with the process.
    await first.stop();

    const second = await start();
    expect(await working(second, task.id)).toBe(true);
    const notes = () =>
      second.tasks.eventsAfter(task.id, 0).flatMap((e) => {
        const status = (JSON.parse(e.json) as { statusUpdate?: { status: { state: string; message?: { parts: { text: string }[] } } } }).statusUpdate?.status;
        return status?.state === 'TASK_STATE_SUBMITTED' ? [status.message?.parts[0]?.text] : [];
      });
    expect(await waitFor(() => notes().length > 0, 5000)).toBe(true);
    expect(notes()).toEqual(['the host stopped while its agent ran; requeued (attempt 2 of 2)']);
    expect(await working(second, task.id)).toBe(true);
    expect(second.db.prepare('SELECT attempts FROM tasks WHERE id = ?').pluck().get(task.id)).toBe(2);
    await second.stop();

    const third = await start();
    const failed = await third.tasks.settled(task.id);
    expect(failed.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(failed)).toBe('the host stopped while its agent ran; failed after 2 of 2 attempts');
  });

  it('a task still queued at a restart runs then without losing an attempt', async () => {
    const dataDir = tempDir('codetether-queued-');
    mkdirSync(join(dataDir, 'app'));
    // One agent process at a time: the second task waits in the queue, submitted, while the first runs.
    const config = { shutdownGraceMs: 100, maxAttempts: 1, localConcurrency: 1, agents: { tree: { command: process.execPath, args: [join(fixtures, 'tree.js')] } } };
    const start = async (): Promise<Host> => (await startTestHost({ dataDir, config })).host;
    const first = await start();
    const added = registerCodebase(createCodebaseRepository(first.db), { name: 'app', path: join(dataDir, 'app'), knownAgents: ['tree'], now: Date.now() });
    expect(added.ok).toBe(true);
    const running = (await first.tasks.send({ message: userMessage('one'), metadata: { agent: 'tree' } })).task;
    const queued = (await first.tasks.send({ message: userMessage('two'), metadata: { agent: 'tree' } })).task;
    expect(await waitFor(() => first.tasks.get(running.id).status?.state === TaskState.TASK_STATE_WORKING, 5000)).toBe(true);
    expect(first.tasks.get(queued.id).status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
    await first.stop();

    const second = await start();
    expect(statusText(await second.tasks.settled(running.id))).toBe('the host stopped while its agent ran; failed after 1 of 1 attempts');
    expect(await waitFor(() => second.tasks.get(queued.id).status?.state === TaskState.TASK_STATE_WORKING, 5000)).toBe(true);
    expect(second.db.prepare('SELECT attempts FROM tasks WHERE id = ?').pluck().get(queued.id)).toBe(1);
  });
});
