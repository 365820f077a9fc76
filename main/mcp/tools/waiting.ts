import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { McpDeps } from '../deps';
import { describe, taskWithOutputSchema, withOutput } from '../task-view';
import { ok } from '../tool-result';
import { waitForTask } from '../wait';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const DEFAULT_HEARTBEAT_MS = 5000;
const DEFAULT_WAIT_S = 600;

export const waitSecondsInput = z
  .number()
  .int()
  .min(1)
  .max(3600)
  .optional()
  .describe(`Longest time to wait, in seconds (default ${DEFAULT_WAIT_S}). The task keeps running after that; follow it with get_task_output.`);

export const waitedSchema = taskWithOutputSchema.extend({
  timedOut: z.boolean().describe('True when the wait ended before the task did; it is still running.'),
});

/**
 * Waits for a task and renders the result, relaying progress when the client asked for it
 * (its request carried a progressToken).
 */
export function createWaiter(deps: McpDeps) {
  const heartbeatMs = deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  return async (taskId: string, seconds: number | undefined, extra: Extra) => {
    const token = extra._meta?.progressToken;
    const limit = seconds ?? DEFAULT_WAIT_S;
    const result = await waitForTask(deps.tasks, taskId, {
      heartbeatMs,
      timeoutMs: limit * 1000,
      signal: extra.signal,
      onProgress:
        token === undefined
          ? undefined
          : (progress, message) => {
              extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, message } }).catch(() => {
                // The client went away; the final result (or its absence) tells it the rest.
              });
            },
    });
    const value = { ...withOutput(result.task), timedOut: !result.settled };
    const text = result.settled
      ? [describe(value), value.output && `Output:\n${value.output}`].filter(Boolean).join('\n\n')
      : `${describe(value)} Still running after ${limit}s; follow it with get_task_output.`;
    return ok(value, text);
  };
}
