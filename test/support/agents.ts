import { Role, TaskState, type Message, type Part } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import type { AgentExecutor } from '../../main/tasks/executor';

// The in-process test agents, one of each kind, for hosts (startTestHost's `agents`) and task
// cores (openCore's `extra`) alike. A message picks one by name: metadata `{ agent: 'ticker' }`.

const textPart = (value: string): Part => ({ content: { $case: 'text', value }, metadata: undefined, filename: '', mediaType: '' });

function agentMessage(task: { id: string; contextId: string }, value: string): Message {
  return { messageId: randomUUID(), contextId: task.contextId, taskId: task.id, role: Role.ROLE_AGENT, parts: [textPart(value)], metadata: undefined, extensions: [], referenceTaskIds: [] };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('aborted'))), { once: true });
  });
}

/** Reports working, then waits until its task is canceled (or the host stops). */
export const blockerAgent: AgentExecutor = {
  name: 'blocker',
  description: 'Works until canceled.',
  skill: { id: 'blocker', name: 'Blocker', description: 'Works until canceled.', tags: ['test'] },
  async execute(ctx) {
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING });
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
  },
};

/**
 * Reports working, then one chunk `tick N\n` of the artifact `ticks` every `ms` milliseconds,
 * `ticks` times (message metadata; 5 x 100 ms by default), then completes saying
 * `done after N ticks`: the long task of the progress and resumability tests. Stops when canceled.
 */
export const tickerAgent: AgentExecutor = {
  name: 'ticker',
  description: 'Emits numbered artifact chunks on a timer, then completes.',
  skill: { id: 'ticker', name: 'Ticker', description: 'Numbered chunks on a timer.', tags: ['test'] },
  async execute(ctx) {
    const meta = ctx.message.metadata ?? {};
    const ticks = Number(meta.ticks ?? 5);
    const ms = Number(meta.ms ?? 100);
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING });
    for (let i = 1; i <= ticks; i++) {
      await sleep(ms, ctx.signal);
      ctx.update({
        kind: 'artifact',
        artifact: { artifactId: 'ticks', name: 'ticks', description: '', parts: [textPart(`tick ${i}\n`)], metadata: undefined, extensions: [] },
        append: i > 1,
        lastChunk: i === ticks,
      });
    }
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_COMPLETED, message: agentMessage(ctx.task, `done after ${ticks} ticks`) });
  },
};

/** Asks for a name (input required), then greets whoever answered, in the artifact `greeting` and its last message. */
export const askAgent: AgentExecutor = {
  name: 'ask',
  description: 'Asks for your name, then greets you.',
  skill: { id: 'ask', name: 'Ask', description: 'Asks a question first.', tags: ['test'] },
  async execute(ctx) {
    const answer = ctx.message.parts.flatMap((p) => (p.content?.$case === 'text' ? [p.content.value] : [])).join('');
    if (ctx.task.history.filter((m) => m.role === Role.ROLE_USER).length < 2) {
      ctx.update({ kind: 'status', state: TaskState.TASK_STATE_INPUT_REQUIRED, message: agentMessage(ctx.task, 'What is your name?') });
      return;
    }
    const greeting = `Hello, ${answer}!`;
    ctx.update(
      { kind: 'artifact', artifact: { artifactId: 'greeting', name: 'greeting', description: '', parts: [textPart(greeting)], metadata: undefined, extensions: [] } },
      { kind: 'status', state: TaskState.TASK_STATE_COMPLETED, message: agentMessage(ctx.task, greeting) },
    );
  },
};

/** Fails its task: the agent throws, with the text it got as the reason. */
export const failAgent: AgentExecutor = {
  name: 'fail',
  description: 'Fails every task it gets.',
  skill: { id: 'fail', name: 'Fail', description: 'Fails with the text it got.', tags: ['test'] },
  async execute(ctx) {
    const text = ctx.message.parts.flatMap((p) => (p.content?.$case === 'text' ? [p.content.value] : [])).join('');
    throw new Error(`told to fail: ${text}`);
  },
};
