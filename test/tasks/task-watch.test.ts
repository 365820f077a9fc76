import { Role, TaskState, type Artifact, type Part, type Task } from '@a2a-js/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentExecutor } from '../../main/tasks/executor';
import { lazyAbort } from '../../main/tasks/lazy-abort';
import { openCore, userMessage, type Core } from '../support/task-core';
import { tempDir } from '../support/temp-dir';

const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

const text = (value: string): Part => ({ content: { $case: 'text', value }, metadata: undefined, filename: '', mediaType: '' });
const artifact = (artifactId: string, ...words: string[]): Artifact => ({ artifactId, name: artifactId, description: '', parts: words.map(text), metadata: undefined, extensions: [] });

/**
 * Reports every kind of update, over several commits: appends, an append to an artifact it
 * never put, a replacement, status messages, then asks for input; the next message completes it.
 */
const busyAgent: AgentExecutor = {
  name: 'busy',
  description: 'reports a lot',
  skill: { id: 'busy', name: 'Busy', description: 'reports', tags: [] },
  async execute(ctx) {
    const say = (messageId: string) => ({ ...ctx.message, messageId, role: Role.ROLE_AGENT, parts: [text(messageId)] });
    if (ctx.task.history.length > 2) {
      ctx.update({ kind: 'artifact', artifact: artifact('log', 'again'), append: true }, { kind: 'status', state: TaskState.TASK_STATE_COMPLETED, message: say('done') });
      return;
    }
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING, message: say('starting') });
    ctx.update({ kind: 'artifact', artifact: artifact('log', 'a') }, { kind: 'artifact', artifact: artifact('log', 'b', 'c'), append: true });
    await new Promise((resolve) => setTimeout(resolve, 5));
    ctx.update({ kind: 'artifact', artifact: artifact('late', 'x'), append: true });
    ctx.update({ kind: 'artifact', artifact: artifact('out', 'old') }, { kind: 'artifact', artifact: artifact('out', 'new') });
    ctx.update({ kind: 'artifact', artifact: artifact('log', 'd'), append: true });
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_INPUT_REQUIRED, message: say('which?') });
  },
};

describe('a watched send', () => {
  it('settles with the task exactly as it is then read back, for a new task and a continuation, in any history view', async () => {
    const core = openCore(tempDir(), [busyAgent]);
    cores.push(core);
    const { tasks } = core;
    const first = await tasks.send({ message: userMessage('go', { metadata: { agent: 'busy' } }) }, { watch: true });
    const asked = (await first.watch!.settled()) as Task;
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(asked).toEqual(tasks.get(first.task.id));
    expect(asked.artifacts.map((a) => [a.artifactId, a.parts.map((p) => p.content?.$case === 'text' && p.content.value)])).toEqual([
      ['log', ['a', 'b', 'c', 'd']],
      ['late', ['x']],
      ['out', ['new']],
    ]);

    const next = await tasks.send({ message: { ...userMessage('that'), taskId: first.task.id } }, { watch: true });
    const done = (await next.watch!.settled(undefined, { historyLength: 2 })) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(done).toEqual(tasks.get(first.task.id, { historyLength: 2 }));
    expect(done.history.map((m) => m.messageId)).toEqual([expect.any(String), 'done']);
  });

  it('stops waiting when the caller goes away, and leaves no listener behind', async () => {
    const core = openCore(tempDir(), []);
    cores.push(core);
    const { tasks } = core;
    const { task, watch } = await tasks.send({ message: userMessage('hello', { metadata: { delayMs: 200 } }) }, { watch: true });
    const gone = lazyAbort();
    const waiting = watch!.settled(gone);
    gone.abort();
    await expect(waiting).rejects.toThrow('the caller is gone');
    expect(tasks.listenerCount(task.id)).toBe(0);
  });
});
