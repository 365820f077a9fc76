import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { McpDeps } from '../deps';
import { toSendInput } from '../outgoing';
import type { SessionQueries } from '../session-queries';
import { describe, withOutput } from '../task-view';
import { fail, guarded, ok } from '../tool-result';
import { createWaiter, waitedSchema, waitSecondsInput } from './waiting';

const sessionSchema = z.object({
  contextId: z.string(),
  title: z.string().describe('The start of the session\'s first user message.'),
  taskCount: z.number().int(),
  lastTaskId: z.string().nullable(),
  lastState: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const entrySchema = z.object({
  role: z.enum(['user', 'agent']),
  text: z.string(),
  taskId: z.string().nullable(),
  at: z.string(),
});

const MAX_MESSAGES = 500;

export function addSessionTools(server: McpServer, deps: McpDeps, sessions: SessionQueries): void {
  const waitAndReport = createWaiter(deps);

  server.registerTool(
    'list_sessions',
    {
      title: 'List sessions',
      description: 'Conversations with agents (each a contextId holding one or more tasks), most recently active first.',
      inputSchema: { limit: z.number().int().min(1).max(200).optional().describe('How many (default 20).') },
      outputSchema: { sessions: z.array(sessionSchema) },
      annotations: { readOnlyHint: true },
    },
    ({ limit }) => ok({ sessions: sessions.list(limit ?? 20) }),
  );

  server.registerTool(
    'get_session',
    {
      title: 'Get a session\'s transcript',
      description: 'The messages of a session, oldest first: what you asked and what the agents answered. Also readable as the codetether://sessions/{contextId} resource.',
      inputSchema: {
        contextId: z.string().min(1),
        limit: z.number().int().min(1).max(MAX_MESSAGES).optional().describe(`The last this many messages (default 100, at most ${MAX_MESSAGES}).`),
      },
      outputSchema: { session: sessionSchema, messages: z.array(entrySchema) },
      annotations: { readOnlyHint: true },
    },
    ({ contextId, limit }) => {
      const session = sessions.get(contextId);
      if (!session) return fail(`No session ${contextId}. list_sessions shows the existing ones.`);
      const messages = sessions.transcript(contextId, limit ?? 100);
      const text = messages.map((m) => `${m.role}: ${m.text}`).join('\n\n') || '(no messages)';
      return ok({ session, messages }, text);
    },
  );

  server.registerTool(
    'resume_session',
    {
      title: 'Continue a session',
      description:
        'Sends a new message into an existing session as a new task, so the agent sees the earlier conversation, and (unless wait is false) waits for the result with progress. To answer a question the agent asked, use answer_task instead.',
      inputSchema: {
        contextId: z.string().min(1),
        message: z.string().min(1),
        agent: z.string().min(1).optional().describe('Agent to run the task (default: the host\'s default agent).'),
        wait: z.boolean().optional().describe('Wait for the result (default true).'),
        waitSeconds: waitSecondsInput,
      },
      outputSchema: waitedSchema,
    },
    ({ contextId, message, agent, wait, waitSeconds }, extra) =>
      guarded(async () => {
        if (!sessions.get(contextId)) return fail(`No session ${contextId}. list_sessions shows the existing ones.`);
        const { task } = await deps.tasks.send(toSendInput({ text: message, contextId, agent }));
        if (wait === false) {
          const value = { ...withOutput(deps.tasks.get(task.id, { historyLength: 0 })), timedOut: false };
          return ok(value, describe(value));
        }
        return waitAndReport(task.id, waitSeconds, extra);
      }),
  );
}
