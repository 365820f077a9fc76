import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TaskError } from '../tasks/task-error';

/** A successful call: the structured value for programs, `text` (or its JSON) for the model. */
export function ok<T extends Record<string, unknown>>(value: T, text?: string): CallToolResult & { structuredContent: T } {
  return { content: [{ type: 'text', text: text ?? JSON.stringify(value, null, 2) }], structuredContent: value };
}

/**
 * A failed call as a tool error the model can read and act on, not a protocol error: MCP
 * wants domain failures (unknown task, wrong state) reported in the result.
 */
export function fail(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Runs a tool body, turning the task core's typed failures into tool errors; anything else is a bug and propagates. */
export async function guarded(body: () => CallToolResult | Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof TaskError) return fail(err.message);
    throw err;
  }
}
