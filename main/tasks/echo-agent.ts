import { Role, TaskState, type Message, type Part } from '@a2a-js/sdk';
import { textPart } from './agent-message';
import { newId } from './ids';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentExecutor, ExecutionContext } from './executor';
import { artifactPartsText } from './task-text';

/** Longest pause between streamed words a client may ask for. */
const MAX_DELAY_MS = 10_000;

/** `delayMs` from the message metadata: a whole number of ms up to MAX_DELAY_MS, else 0. */
function delayOf(ctx: ExecutionContext): number {
  const raw = ctx.message.metadata?.delayMs;
  return typeof raw === 'number' && Number.isInteger(raw) && raw > 0 ? Math.min(raw, MAX_DELAY_MS) : 0;
}

/**
 * `answer` in the message's own metadata shows the other ways an agent may answer: "message"
 * (a Message instead of a task), "rejected", or "auth-required" (the task waits; the next message
 * on it, without `answer`, is echoed as usual).
 */
function answerOf(ctx: ExecutionContext): string | undefined {
  const raw = ctx.message.metadata?.answer;
  return typeof raw === 'string' ? raw : undefined;
}

function agentReply(ctx: ExecutionContext, parts: Part[], taskId = ctx.task.id): Message {
  return { messageId: newId(), contextId: ctx.task.contextId, taskId, role: Role.ROLE_AGENT, parts, metadata: undefined, extensions: [], referenceTaskIds: [] };
}

/** Sends the reply as one artifact chunk per word, `delayMs` apart, so streaming can be watched. */
async function streamWords(ctx: ExecutionContext, text: string, delayMs: number): Promise<void> {
  const words = text.split(/(?<=\s)/).filter((w) => w.length > 0);
  for (const [i, word] of words.entries()) {
    await sleep(delayMs, undefined, { signal: ctx.signal });
    ctx.update({
      kind: 'artifact',
      artifact: { artifactId: 'echo', name: 'echo', description: '', parts: [textPart(word)], metadata: undefined, extensions: [] },
      append: i > 0,
      lastChunk: i === words.length - 1,
    });
  }
}

/** Answers with the text it got: a real agent for trying the endpoint, and the tests' agent. */
export const echoAgent: AgentExecutor = {
  name: 'echo',
  description: 'Replies with the text of the message it receives.',
  skill: {
    id: 'echo',
    name: 'Echo',
    description:
      'Returns the text parts of your message unchanged, as an artifact and a reply. With message metadata {"delayMs": N} it streams the reply word by word, N ms apart (up to 10000), to watch streaming and resumption; with {"answer": "message"} it answers with a Message and no task, with "rejected" it rejects the task, with "auth-required" it waits for authorization (any next message on the task goes on).',
    tags: ['echo', 'test'],
    examples: ['hello'],
  },
  async execute(ctx) {
    const parts = ctx.message.parts.filter((p) => p.content?.$case === 'text');
    switch (answerOf(ctx)) {
      case 'message':
        return ctx.update({ kind: 'message', message: agentReply(ctx, parts, '') });
      case 'rejected':
        return ctx.update({ kind: 'status', state: TaskState.TASK_STATE_REJECTED, message: agentReply(ctx, [textPart('Rejected: this message asked the echo agent to reject its task.')]) });
      case 'auth-required':
        return ctx.update({
          kind: 'status',
          state: TaskState.TASK_STATE_AUTH_REQUIRED,
          message: agentReply(ctx, [textPart('Authorization required: send any message on this task (its taskId) once you have authorized, and the echo goes on.')]),
        });
    }
    const reply = agentReply(ctx, parts);
    const delayMs = delayOf(ctx);
    const completed = { kind: 'status' as const, state: TaskState.TASK_STATE_COMPLETED, message: reply };
    if (delayMs > 0) {
      ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING });
      // The words stream as the artifact the reply parts would be, so they read as it would.
      await streamWords(ctx, artifactPartsText(parts), delayMs);
      ctx.update(completed);
      return;
    }
    ctx.update(
      {
        kind: 'artifact',
        artifact: { artifactId: 'echo', name: 'echo', description: '', parts, metadata: undefined, extensions: [] },
        lastChunk: true,
      },
      completed,
    );
  },
};
