import { Role, TaskState } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import type { AgentExecutor } from './executor';

/** Answers with the text it got: a real agent for trying the endpoint, and the tests' agent. */
export const echoAgent: AgentExecutor = {
  name: 'echo',
  description: 'Replies with the text of the message it receives.',
  skill: {
    id: 'echo',
    name: 'Echo',
    description: 'Returns the text parts of your message unchanged, as an artifact and a reply.',
    tags: ['echo', 'test'],
    examples: ['hello'],
  },
  async execute(ctx) {
    const parts = ctx.message.parts.filter((p) => p.content?.$case === 'text');
    const reply = {
      messageId: randomUUID(),
      contextId: ctx.task.contextId,
      taskId: ctx.task.id,
      role: Role.ROLE_AGENT,
      parts,
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    };
    ctx.update(
      {
        kind: 'artifact',
        artifact: { artifactId: 'echo', name: 'echo', description: '', parts, metadata: undefined, extensions: [] },
        lastChunk: true,
      },
      { kind: 'status', state: TaskState.TASK_STATE_COMPLETED, message: reply },
    );
  },
};
