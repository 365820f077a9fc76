import type { MessageJson, TaskJson } from '../../../shared/monitor-api';
import type { Api } from './api';

export interface SendInput {
  text: string;
  agent?: string;
  codebase?: string;
  model?: string;
  /** Continue this session (a new task in it). */
  contextId?: string;
  /** Answer this task, which waits for input. */
  taskId?: string;
}

function messageId(): string {
  return crypto.randomUUID();
}

/** The request metadata the host reads: `agent` picks the agent, `codebase` where it runs, `model` goes to the agent. */
function metadataOf(input: SendInput): Record<string, string> | undefined {
  const entries = Object.entries({ agent: input.agent, codebase: input.codebase, model: input.model }).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
  );
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** The A2A HTTP+JSON binding (v1.0) under /v1: the monitor sends, answers and cancels like any A2A client. */
export function createA2a(api: Api) {
  return {
    /** Returns at once with the task as committed; its progress arrives on the feeds. */
    async send(input: SendInput): Promise<TaskJson> {
      const message: MessageJson = { messageId: messageId(), role: 'ROLE_USER', parts: [{ text: input.text }] };
      if (input.contextId) message.contextId = input.contextId;
      if (input.taskId) message.taskId = input.taskId;
      const body = { message, metadata: input.taskId ? undefined : metadataOf(input), configuration: { returnImmediately: true } };
      const result = await api.call('POST /v1/message:send', { body });
      if (!result.task) throw new Error('The host answered without a task.');
      return result.task;
    },
    cancel: (taskId: string) => api.call('POST /v1/tasks/{id}:cancel', { params: { id: taskId } }),
    get: (taskId: string) => api.call('GET /v1/tasks/{id}', { params: { id: taskId } }),
    /** A session's tasks with their messages, oldest first. */
    async session(contextId: string): Promise<TaskJson[]> {
      const tasks: TaskJson[] = [];
      let pageToken = '';
      do {
        const page = await api.call('GET /v1/tasks', { query: { contextId, pageSize: '100', includeArtifacts: 'true', pageToken: pageToken || undefined } });
        tasks.push(...page.tasks);
        pageToken = page.nextPageToken;
      } while (pageToken);
      return tasks.reverse();
    },
  };
}

export type A2a = ReturnType<typeof createA2a>;
