import { Message } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import type { SendInput } from '../tasks/send-input';

export interface Outgoing {
  text: string;
  contextId?: string;
  taskId?: string;
  agent?: string;
  codebase?: string;
  model?: string;
}

/**
 * A user message for the task core. The agent, codebase and model ride in metadata, both the
 * message's (which agents and codebase resolution read) and the request's (kept on the task,
 * so list_tasks shows them).
 */
export function toSendInput(out: Outgoing): SendInput {
  const metadata = Object.fromEntries(
    Object.entries({ agent: out.agent, codebase: out.codebase, model: out.model }).filter(([, v]) => v !== undefined),
  );
  const message = Message.fromJSON({
    messageId: randomUUID(),
    role: 'ROLE_USER',
    parts: [{ text: out.text }],
    ...(out.contextId ? { contextId: out.contextId } : {}),
    ...(out.taskId ? { taskId: out.taskId } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
  });
  return { message, ...(Object.keys(metadata).length ? { metadata } : {}) };
}
