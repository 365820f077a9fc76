import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { interruptedStates, isTerminal, stateFromName, stateName } from '../../tasks/states';
import type { McpDeps } from '../deps';
import { toSendInput } from '../outgoing';
import { eventOutput } from '../../tasks/task-text';
import { describe, stateNames, summarize, taskSchema, taskWithOutputSchema, withOutput } from '../task-view';
import { guarded, ok } from '../tool-result';
import { createWaiter, waitedSchema, waitSecondsInput } from './waiting';

/** Events get_task_output reads from the store at a time. */
const EVENT_PAGE = 64;

const target = {
  agent: z.string().min(1).optional().describe('Agent to run the task (see list_agents). Default: the host\'s default agent.'),
  codebase: z.string().min(1).optional().describe('Registered codebase to work in (see list_codebases). Default: the configured or only codebase.'),
  model: z.string().min(1).optional().describe('Model for agents that let you choose one, e.g. "anthropic/claude-sonnet-4".'),
  contextId: z.string().min(1).optional().describe('Session to continue (from an earlier task); omit to start a new session.'),
};

export function addTaskTools(server: McpServer, deps: McpDeps): void {
  const { tasks } = deps;
  const waitAndReport = createWaiter(deps);

  server.registerTool(
    'send_task_and_wait',
    {
      title: 'Run a task and wait for its result',
      description:
        'Sends a message to a coding agent as a new task and waits until it finishes or asks for input, reporting progress while it runs. Returns the final state, the output text and the artifacts. If the agent asks a question (needsInput), answer with answer_task.',
      inputSchema: { message: z.string().min(1).describe('What the agent should do.'), ...target, waitSeconds: waitSecondsInput },
      outputSchema: waitedSchema,
    },
    ({ message, waitSeconds: seconds, ...rest }, extra) =>
      guarded(async () => {
        const { task } = await tasks.send(toSendInput({ text: message, ...rest }));
        return waitAndReport(task.id, seconds, extra);
      }),
  );

  server.registerTool(
    'send_task',
    {
      title: 'Start a task without waiting',
      description:
        'Sends a message to a coding agent as a new task and returns at once with its taskId and contextId. Follow it with get_task, get_task_output or the codetether://tasks/{taskId}/output resource.',
      inputSchema: { message: z.string().min(1).describe('What the agent should do.'), ...target },
      outputSchema: taskSchema,
    },
    ({ message, ...rest }) =>
      guarded(async () => {
        const { task } = await tasks.send(toSendInput({ text: message, ...rest }));
        const value = summarize(task);
        return ok(value, describe(value));
      }),
  );

  server.registerTool(
    'get_task',
    {
      title: 'Get a task',
      description: 'The current state of a task, its latest status message, its output text and artifacts.',
      inputSchema: { taskId: z.string().min(1) },
      outputSchema: taskWithOutputSchema,
      annotations: { readOnlyHint: true },
    },
    ({ taskId }) =>
      guarded(() => {
        const value = withOutput(tasks.get(taskId, { historyLength: 0 }));
        return ok(value);
      }),
  );

  server.registerTool(
    'list_tasks',
    {
      title: 'List tasks',
      description: 'Tasks, most recently updated first, optionally of one session or in one state. Page with nextPageToken.',
      inputSchema: {
        contextId: z.string().min(1).optional().describe('Only tasks of this session.'),
        state: z.enum(stateNames).optional().describe('Only tasks in this state.'),
        pageSize: z.number().int().min(1).max(100).optional().describe('Tasks per page (default 20).'),
        pageToken: z.string().optional().describe('nextPageToken of the previous page.'),
      },
      outputSchema: { tasks: z.array(taskSchema), nextPageToken: z.string(), totalSize: z.number().int() },
      annotations: { readOnlyHint: true },
    },
    ({ contextId, state, pageSize, pageToken }) =>
      guarded(() => {
        const page = tasks.list({ contextId, state: state && stateFromName(state), pageSize: pageSize ?? 20, pageToken, historyLength: 0 });
        const value = { tasks: page.tasks.map(summarize), nextPageToken: page.nextPageToken, totalSize: page.totalSize };
        return ok(value);
      }),
  );

  server.registerTool(
    'cancel_task',
    {
      title: 'Cancel a task',
      description: 'Stops a running or waiting task. A finished task cannot be canceled.',
      inputSchema: { taskId: z.string().min(1) },
      outputSchema: taskSchema,
      annotations: { destructiveHint: true, idempotentHint: false },
    },
    ({ taskId }) =>
      guarded(async () => {
        const value = summarize(await tasks.cancel(taskId));
        return ok(value, describe(value));
      }),
  );

  server.registerTool(
    'get_task_output',
    {
      title: 'Read a task\'s output since a cursor',
      description:
        'The output text a task produced after `cursor` (0 = from the start). Returns nextCursor: pass it next time to read only what is new. done/needsInput tell whether more will come.',
      inputSchema: {
        taskId: z.string().min(1),
        cursor: z.number().int().min(0).optional().describe('nextCursor from the previous call; 0 or omitted for everything.'),
        maxChars: z.number().int().min(100).max(1_000_000).optional().describe('Stop after about this many characters (default 20000); `more` is then true.'),
      },
      outputSchema: {
        taskId: z.string(),
        state: z.string(),
        done: z.boolean(),
        needsInput: z.boolean(),
        text: z.string(),
        nextCursor: z.number().int(),
        more: z.boolean().describe('True when output past nextCursor was left out because of maxChars.'),
      },
      annotations: { readOnlyHint: true },
    },
    ({ taskId, cursor, maxChars }) =>
      guarded(() => {
        const { task, seq } = tasks.snapshot(taskId, { historyLength: 0, includeArtifacts: false });
        const limit = maxChars ?? 20_000;
        const start = cursor ?? 0;
        let text = '';
        let next = start;
        let more = false;
        // Read in pages: a task with megabytes of output must not be loaded whole for one page of it.
        reading: for (;;) {
          const events = tasks.eventsAfter(taskId, next, EVENT_PAGE);
          for (const event of events) {
            if (event.seq > seq) break reading;
            const chunk = eventOutput(event);
            // Whole events only, so a cursor never points into the middle of a chunk.
            if (text.length > 0 && text.length + chunk.length > limit) {
              more = true;
              break reading;
            }
            text += chunk;
            next = event.seq;
          }
          if (events.length < EVENT_PAGE) break;
        }
        const state = task.status!.state;
        return ok({ taskId, state: stateName(state), done: isTerminal(state), needsInput: interruptedStates.has(state), text, nextCursor: next, more }, text || '(no new output)');
      }),
  );

  server.registerTool(
    'answer_task',
    {
      title: 'Answer a task waiting for input',
      description:
        'Replies to a task whose agent asked a question (state input-required or auth-required) and, unless wait is false, waits for the task to finish or ask again, reporting progress.',
      inputSchema: {
        taskId: z.string().min(1),
        message: z.string().min(1).describe('Your answer.'),
        wait: z.boolean().optional().describe('Wait for the result (default true).'),
        waitSeconds: waitSecondsInput,
      },
      outputSchema: waitedSchema,
    },
    ({ taskId, message, wait, waitSeconds: seconds }, extra) =>
      guarded(async () => {
        const { task } = await tasks.send(toSendInput({ text: message, taskId }));
        if (wait === false) {
          const value = { ...withOutput(tasks.get(task.id, { historyLength: 0 })), timedOut: false };
          return ok(value, describe(value));
        }
        return waitAndReport(task.id, seconds, extra);
      }),
  );
}
