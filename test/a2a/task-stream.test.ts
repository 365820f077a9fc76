import { TaskState } from '@a2a-js/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createCallContext, shiftSeq } from '../../main/a2a/call-context';
import { followTask } from '../../main/a2a/task-stream';
import type { AgentExecutor } from '../../main/tasks/executor';
import { blockerAgent } from '../support/agents';
import { openCore, userMessage, type Core } from '../support/task-core';
import { tempDir } from '../support/temp-dir';

const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

/** Emits `count` artifact chunks in a burst, then completes. */
const burstAgent = (count: number): AgentExecutor => ({
  name: 'burst',
  description: 'bursts',
  skill: { id: 'burst', name: 'Burst', description: 'bursts', tags: [] },
  async execute(ctx) {
    for (let i = 0; i < count; i++) {
      ctx.update({
        kind: 'artifact',
        artifact: { artifactId: 'a', name: '', description: '', parts: [{ content: { $case: 'text', value: String(i) }, metadata: undefined, filename: '', mediaType: '' }], metadata: undefined, extensions: [] },
      });
    }
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_COMPLETED });
  },
});

describe('followTask', () => {
  it('a consumer that falls far behind gets every event once, in order, from the store', async () => {
    const core = openCore(tempDir(), [burstAgent(1200)]);
    cores.push(core);
    const { task } = await core.tasks.send({ message: userMessage('go'), metadata: { agent: 'burst' } });
    const ctx = createCallContext();
    const stream = followTask(core.tasks, task.id, ctx, { afterSeq: 0 });
    const first = await stream.next();
    expect(first.value?.payload?.$case).toBe('task');
    // The agent's whole burst lands while this consumer pulls nothing.
    await core.tasks.settled(task.id);
    const seqs = [shiftSeq(ctx)];
    for await (const _ of stream) seqs.push(shiftSeq(ctx));
    expect(seqs).toEqual(Array.from({ length: 1202 }, (_, i) => i + 1));
    expect(core.tasks.listenerCount(task.id)).toBe(0);
  });

  it('stops waiting for the next event when the call context signal aborts', async () => {
    const core = openCore(tempDir(), [blockerAgent]);
    cores.push(core);
    const { task } = await core.tasks.send({ message: userMessage('x'), metadata: { agent: 'blocker' } });
    await new Promise((r) => setTimeout(r, 20));
    const controller = new AbortController();
    const stream = followTask(core.tasks, task.id, createCallContext({ signal: controller.signal }), { afterSeq: core.tasks.snapshot(task.id).seq });
    const pending = stream.next();
    expect(core.tasks.listenerCount(task.id)).toBe(1);
    controller.abort();
    expect((await pending).done).toBe(true);
    expect(core.tasks.listenerCount(task.id)).toBe(0);
  });
});
