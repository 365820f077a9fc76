import { Role, type Message, type Part, type Task } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';

export function textPart(text: string): Part {
  return { content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: '' };
}

/** A message from the agent to the client, on this task. */
export function agentMessage(task: Pick<Task, 'id' | 'contextId'>, text: string): Message {
  return {
    messageId: randomUUID(), contextId: task.contextId, taskId: task.id, role: Role.ROLE_AGENT,
    parts: [textPart(text)], metadata: undefined, extensions: [], referenceTaskIds: [],
  };
}
