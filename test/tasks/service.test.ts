import { Role, TaskState } from '@a2a-js/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createRoamingRepository } from '../../main/store/roaming-repository';
import { createSyncRepository } from '../../main/store/sync-repository';
import type { AgentExecutor } from '../../main/tasks/executor';
import type { TaskError } from '../../main/tasks/task-error';
import { decodeEvent, type TaskEvent } from '../../main/tasks/task-event';
import { askAgent, blockerAgent } from '../support/agents';
import { openCore, userMessage, type Core } from '../support/task-core';
import { tempDir } from '../support/temp-dir';

const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

function core(dir: string, extra: AgentExecutor[] = []) {
  const c = openCore(dir, extra);
  cores.push(c);
  return c;
}

describe('task service', () => {
  it('commits a task, its message and event #1, then the echo agent completes it', async () => {
    const { tasks } = core(tempDir());
    const { task, firstSeq } = await tasks.send({ message: userMessage('hello') });
    expect(firstSeq).toBe(1);
    expect(task.status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
    expect(task.contextId).toMatch(/[0-9a-f-]{36}/);
    const done = await tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(done.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'hello' });
    const events = tasks.eventsAfter(task.id, 0);
    expect(events.map((e) => [e.seq, e.kind])).toEqual([
      [1, 'task'],
      [2, 'artifactUpdate'],
      [3, 'statusUpdate'],
    ]);
    expect(tasks.eventsAfter(task.id, 2).map((e) => e.seq)).toEqual([3]);
  });

  it('publishes events in seq order to every subscriber', async () => {
    const { tasks } = core(tempDir());
    const seen: number[][] = [[], []];
    const { task } = await tasks.send({ message: userMessage('x') });
    tasks.subscribe(task.id, (e) => seen[0]!.push(e.seq));
    tasks.subscribe(task.id, (e) => seen[1]!.push(e.seq));
    await tasks.settled(task.id);
    expect(seen[0]).toEqual([2, 3]);
    expect(seen[1]).toEqual(seen[0]);
  });

  it('keeps a task and its events across a reopen of the same database', async () => {
    const dir = tempDir();
    const first = core(dir);
    const { task } = await first.tasks.send({ message: userMessage('durable') });
    await first.tasks.settled(task.id);
    await first.close();
    cores.splice(cores.indexOf(first), 1);
    const second = core(dir);
    expect(second.tasks.get(task.id).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(second.tasks.eventsAfter(task.id, 0)).toHaveLength(3);
  });

  it('continues an input-required task, and starts a new task for a known context without taskId', async () => {
    const { tasks } = core(tempDir(), [askAgent]);
    const { task } = await tasks.send({ message: userMessage('start'), metadata: { agent: 'ask' } });
    expect((await tasks.settled(task.id)).status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const resumed = await tasks.send({ message: userMessage('blue', { taskId: task.id, contextId: task.contextId }) });
    expect(resumed.task.id).toBe(task.id);
    const done = await tasks.settled(task.id);
    expect(done.status?.message?.parts[0]?.content).toEqual({ $case: 'text', value: 'Hello, blue!' });
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(done.history.map((m) => m.role)).toEqual([Role.ROLE_USER, Role.ROLE_AGENT, Role.ROLE_USER, Role.ROLE_AGENT]);

    const next = await tasks.send({ message: userMessage('again', { contextId: task.contextId }) });
    expect(next.task.id).not.toBe(task.id);
    expect(next.task.contextId).toBe(task.contextId);
    expect(tasks.list({ contextId: task.contextId }).totalSize).toBe(2);
  });

  it('refuses messages to terminal or unknown tasks, and illegal cancels, with typed errors', async () => {
    const { tasks } = core(tempDir());
    const { task } = await tasks.send({ message: userMessage('one') });
    await tasks.settled(task.id);
    const kind = async (fn: () => unknown) => {
      try {
        await fn();
      } catch (err) {
        return (err as TaskError).kind;
      }
      return 'no error';
    };
    expect(await kind(() => tasks.send({ message: userMessage('more', { taskId: task.id }) }))).toBe('unsupported-operation');
    expect(await kind(() => tasks.send({ message: userMessage('x', { taskId: 'nope' }) }))).toBe('task-not-found');
    expect(await kind(() => tasks.cancel(task.id))).toBe('task-not-cancelable');
    expect(await kind(() => tasks.get('nope'))).toBe('task-not-found');
    expect(await kind(() => tasks.send({ message: userMessage('x'), metadata: { agent: 'ghost' } }))).toBe('invalid-params');
    expect(await kind(() => tasks.list({ pageToken: '!!!' }))).toBe('invalid-params');
    expect(await kind(() => tasks.list({ pageSize: 0 }))).toBe('invalid-params');
    expect(tasks.eventsAfter(task.id, 0)).toHaveLength(3);
  });

  it('records the codebase the message names in the task, as it records the one the request names', async () => {
    const { tasks } = core(tempDir());
    const fromMessage = await tasks.send({ message: userMessage('where', { metadata: { codebase: 'app', paths: ['src'] } }), metadata: { agent: 'echo' } });
    expect(fromMessage.task.metadata).toEqual({ agent: 'echo', codebase: 'app' });
    expect(tasks.get(fromMessage.task.id).metadata).toEqual({ agent: 'echo', codebase: 'app' });
    const task1 = JSON.parse(tasks.eventsAfter(fromMessage.task.id, 0)[0]!.json) as { task: { metadata?: unknown } };
    expect(task1.task.metadata).toEqual({ agent: 'echo', codebase: 'app' });
    // The request's own codebase wins, and a message naming none records nothing.
    const fromRequest = await tasks.send({ message: userMessage('where', { metadata: { codebase: 'other' } }), metadata: { codebase: 'app' } });
    expect(fromRequest.task.metadata).toEqual({ codebase: 'app' });
    expect((await tasks.send({ message: userMessage('nowhere') })).task.metadata).toBeUndefined();
  });

  it('refuses a message to another device\'s task naming that device, not its id', async () => {
    const { tasks, db } = core(tempDir());
    const sync = createSyncRepository(db);
    const remote = (id: string, origin: string) =>
      sync.putRemoteTask({ id, contextId: `ctx-${id}`, agent: 'ask', state: 'input-required', statusJson: '{"state":"TASK_STATE_INPUT_REQUIRED"}', metadataJson: null, origin, createdAt: 1, updatedAt: 1, artifacts: [] });
    remote('named', 'dAbC123');
    remote('unnamed', 'dXyZ789');
    createRoamingRepository(db).putDevice('dAbC123', 'laptop', 1);
    const refusal = async (taskId: string) => {
      try {
        await tasks.send({ message: userMessage('answer', { taskId }) });
      } catch (err) {
        return (err as TaskError).message;
      }
      return 'no error';
    };
    const named = await refusal('named');
    expect(named).toContain('runs on device "laptop" and is read-only here');
    expect(named).not.toContain('dAbC123');
    expect(await refusal('unnamed')).toContain('runs on another device (dXyZ789)');
  });

  it('cancels a running task: the agent is aborted and later updates are refused', async () => {
    const { tasks } = core(tempDir(), [blockerAgent]);
    const { task } = await tasks.send({ message: userMessage('wait'), metadata: { agent: 'blocker' } });
    await new Promise((r) => setTimeout(r, 20));
    const canceled = await tasks.cancel(task.id);
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    await new Promise((r) => setTimeout(r, 20));
    const states = tasks.eventsAfter(task.id, 0).map((e: TaskEvent) => decodeEvent(e).payload?.$case);
    expect(states).toEqual(['task', 'statusUpdate', 'statusUpdate']);
    expect(tasks.get(task.id).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });

  it('pages through tasks newest first with a keyset token', async () => {
    const { tasks } = core(tempDir());
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { task } = await tasks.send({ message: userMessage(`m${i}`) });
      await tasks.settled(task.id);
      ids.push(task.id);
      await new Promise((r) => setTimeout(r, 2));
    }
    const page1 = tasks.list({ pageSize: 2 });
    const page2 = tasks.list({ pageSize: 2, pageToken: page1.nextPageToken });
    const page3 = tasks.list({ pageSize: 2, pageToken: page2.nextPageToken });
    expect(page1.totalSize).toBe(5);
    expect([...page1.tasks, ...page2.tasks, ...page3.tasks].map((t) => t.id)).toEqual([...ids].reverse());
    expect(page3.nextPageToken).toBe('');
    expect(tasks.list({ state: TaskState.TASK_STATE_COMPLETED, pageSize: 100 }).tasks).toHaveLength(5);
  });

  it('requeues a task a previous process left working', async () => {
    const dir = tempDir();
    const first = core(dir, [blockerAgent]);
    const { task } = await first.tasks.send({ message: userMessage('survive'), metadata: { agent: 'blocker' } });
    await new Promise((r) => setTimeout(r, 20));
    await first.close();
    cores.splice(cores.indexOf(first), 1);
    expect(first.tasks).toBeDefined();

    const second = core(dir, [{ ...echoLike, name: 'blocker' }]);
    expect(second.tasks.recover()).toBe(1);
    const done = await second.tasks.settled(task.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });
});

const echoLike: AgentExecutor = {
  name: 'echo-like',
  description: 'completes',
  skill: { id: 'e', name: 'E', description: 'e', tags: [] },
  async execute(ctx) {
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_COMPLETED });
  },
};
