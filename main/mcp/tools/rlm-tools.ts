import { Message } from '@a2a-js/sdk';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { McpDeps } from '../deps';
import { guarded } from '../tool-result';
import { createWaiter, waitedSchema, waitSecondsInput } from './waiting';

const count = z.number().int().min(1);

/** rlm_query: the RLM agent as one tool call, with progress per step while it runs. */
export function addRlmTools(server: McpServer, deps: McpDeps): void {
  const waitAndReport = createWaiter(deps);
  server.registerTool(
    'rlm_query',
    {
      title: 'Answer a question over a large input (recursive LM)',
      description:
        'Answers a question about material far larger than a model context: files of a registered codebase (codebase + paths globs) and/or text you pass. A root model writes code that runs in a sandbox over the material and asks sub-models about pieces of it. Reports progress per step; returns the answer as output, and the step-by-step trajectory as an artifact.',
      inputSchema: {
        question: z.string().min(1).describe('What to find out.'),
        codebase: z.string().min(1).optional().describe('Registered codebase whose files are the material (see list_codebases).'),
        paths: z.array(z.string().min(1)).min(1).optional().describe('Globs inside the codebase, e.g. ["src/**/*.ts"]. Default: every text file.'),
        text: z.string().min(1).optional().describe('Material given inline, instead of or besides a codebase.'),
        limits: z
          .object({ maxIterations: count, maxSubCalls: z.number().int().min(0), maxSubCallsPerStep: z.number().int().min(0), taskTimeoutMs: count })
          .partial()
          .strict()
          .optional()
          .describe('Lower limits for this run than the host\'s.'),
        waitSeconds: waitSecondsInput,
      },
      outputSchema: waitedSchema,
    },
    ({ question, codebase, paths, text, limits, waitSeconds }, extra) =>
      guarded(async () => {
        const metadata = { agent: 'rlm', ...(codebase ? { codebase } : {}), ...(paths ? { paths } : {}), ...(limits ? { rlm: limits } : {}) };
        const message = Message.fromJSON({ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: question }, ...(text ? [{ text, filename: 'text' }] : [])], metadata });
        const { task } = await deps.tasks.send({ message, metadata });
        return waitAndReport(task.id, waitSeconds, extra);
      }),
  );
}
