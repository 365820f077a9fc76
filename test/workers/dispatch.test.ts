import { TaskState } from '@a2a-js/sdk';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { decodeEvent } from '../../main/tasks/task-event';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { startRpcHost } from '../a2a/support';
import { userMessage } from '../support/task-core';
import { appDir } from './remote-support';
import { fixtures } from './support';

describe('dispatcher', () => {
  it('runs agent processes up to localConcurrency, the rest by priority then arrival; in-process agents are not held up', async () => {
    const { host } = await startRpcHost({
      mcpPort: 0,
      localConcurrency: 1,
      agents: { paced: { command: process.execPath, args: [join(fixtures, 'paced.js')] } },
    });
    const registered = registerCodebase(createCodebaseRepository(host.db), { name: 'app', path: appDir(), knownAgents: ['paced'], now: Date.now() });
    expect(registered.ok).toBe(true);

    const started: string[] = [];
    const running = new Set<string>();
    let most = 0;
    host.tasks.subscribeAll((event) => {
      const r = decodeEvent(event).payload;
      if (r?.$case !== 'statusUpdate') return;
      const state = r.value.status?.state;
      if (state === TaskState.TASK_STATE_WORKING && !running.has(event.taskId)) {
        started.push(event.taskId);
        running.add(event.taskId);
        most = Math.max(most, running.size);
      } else if (state === TaskState.TASK_STATE_COMPLETED || state === TaskState.TASK_STATE_FAILED) running.delete(event.taskId);
    });

    const send = async (priority?: number) =>
      (await host.tasks.send({ message: userMessage('lines 3 30', { metadata: { agent: 'paced', codebase: 'app', ...(priority === undefined ? {} : { priority }) } }) })).task.id;
    const a = await send();
    const b = await send();
    const c = await send(5);
    const d = await send(0);
    // echo runs in-process, beside the one agent process allowed.
    const echo = await host.tasks.send({ message: userMessage('hi') });
    expect((await host.tasks.settled(echo.task.id)).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(host.tasks.get(d).status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);

    for (const id of [a, b, c, d]) expect((await host.tasks.settled(id)).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(started).toEqual([a, c, b, d]);
    expect(most).toBe(1);
  });

  it('cancels a queued task without running it', async () => {
    const { host } = await startRpcHost({
      mcpPort: 0,
      localConcurrency: 1,
      agents: { paced: { command: process.execPath, args: [join(fixtures, 'paced.js')] } },
    });
    registerCodebase(createCodebaseRepository(host.db), { name: 'app', path: appDir(), knownAgents: ['paced'], now: Date.now() });
    const first = (await host.tasks.send({ message: userMessage('lines 5 30', { metadata: { agent: 'paced', codebase: 'app' } }) })).task.id;
    const queued = (await host.tasks.send({ message: userMessage('lines 5 30', { metadata: { agent: 'paced', codebase: 'app' } }) })).task.id;
    expect((await host.tasks.cancel(queued)).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect((await host.tasks.settled(first)).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    await new Promise((r) => setTimeout(r, 100));
    expect(host.tasks.get(queued).artifacts).toEqual([]);
    expect(host.tasks.get(queued).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });
});
