import { TaskState } from '@a2a-js/sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { FeedEvent } from '../../shared/monitor-api';
import { loadConfig } from '../../main/base/config';
import { startHost } from '../../main/host/host';
import type { AgentExecutor } from '../../main/tasks/executor';
import { sseFrames } from '../support/sse-frames';
import { userMessage } from '../support/task-core';

const BURST = 40;

/** Reports `working` BURST times in one turn, then completes: a burst of changes to one task. */
const burstAgent: AgentExecutor = {
  name: 'burst',
  description: 'Many status changes at once.',
  skill: { id: 'burst', name: 'Burst', description: 'burst', tags: ['test'] },
  async execute(ctx) {
    for (let i = 0; i < BURST; i++) ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING });
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_COMPLETED });
  },
};

interface Feed {
  /** The task frames this stream got for `taskId`, in order. */
  states(taskId: string): string[];
  ready: Promise<void>;
}

function follow(url: string, signal: AbortSignal): Feed {
  const frames: FeedEvent[] = [];
  let snapshot!: () => void;
  const ready = new Promise<void>((r) => (snapshot = r));
  void (async () => {
    const res = await fetch(url, { signal });
    for await (const frame of sseFrames(res)) {
      const event = JSON.parse(frame.data) as FeedEvent;
      if (event.type === 'snapshot') snapshot();
      frames.push(event);
    }
  })().catch(() => {});
  return { ready, states: (id) => frames.flatMap((f) => (f.type === 'task' && f.task.id === id ? [f.task.state] : [])) };
}

describe('the monitor feed with many streams', () => {
  it('coalesces a burst of changes to one task into one frame per stream, with the task as it ended', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'codetether-feed-'));
    const host = await startHost(loadConfig({ flags: { dataDir, port: 0, mcpPort: 0, logLevel: 'silent', shutdownGraceMs: 200 }, env: {} }), { agents: [burstAgent] });
    onTestFinished(async () => {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const stop = new AbortController();
    onTestFinished(() => stop.abort());
    const url = `${new URL(host.urls.health).origin}/api/events`;
    const feeds = Array.from({ length: 100 }, () => follow(url, stop.signal));
    await Promise.all(feeds.map((f) => f.ready));

    const { task } = await host.tasks.send({ message: userMessage('go'), metadata: { agent: 'burst' } });
    expect((await host.tasks.settled(task.id)).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const deadline = Date.now() + 10_000;
    while (!feeds.every((f) => f.states(task.id).at(-1) === 'completed')) {
      if (Date.now() > deadline) throw new Error('not every stream saw the task complete');
      await new Promise((r) => setTimeout(r, 20));
    }
    // submitted, BURST x working, completed: 42 changes; each stream gets them gathered.
    for (const feed of feeds) expect(feed.states(task.id).length).toBeLessThanOrEqual(3);
  });
});
