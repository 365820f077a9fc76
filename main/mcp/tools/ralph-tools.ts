import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { runStatuses, type RunSummaryView } from '../../../shared/ralph-api';
import type { RalphTools } from '../deps';
import { fail, ok } from '../tool-result';

const record = z.record(z.string(), z.unknown());
const limits = z
  .object({
    maxAttemptsPerStory: z.number().int().min(1).optional(),
    maxIterations: z.number().int().min(1).optional(),
    maxNoProgress: z.number().int().min(1).optional(),
    storyTimeoutSeconds: z.number().int().min(1).optional(),
    runTimeoutSeconds: z.number().int().min(1).optional(),
    checkTimeoutSeconds: z.number().int().min(1).optional(),
    maxTokens: z.number().int().min(1).nullable().optional(),
  })
  .describe('Limits of the run; each has a default (see the README).');

/** Ralph refuses with an Error whose message says what to fix: a tool error the model can act on. */
async function refused(body: () => Promise<CallToolResult> | CallToolResult): Promise<CallToolResult> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof Error && !(err instanceof TypeError) && !(err instanceof ReferenceError)) return fail(err.message);
    throw err;
  }
}

const line = (r: RunSummaryView) => `${r.id}  ${r.status}${r.stopReason && r.stopReason !== r.status ? ` (${r.stopReason})` : ''}  ${r.storiesPassed}/${r.storiesTotal} stories  ${r.project} on ${r.branchName}`;

/** The Ralph tools, the same shapes as `/v1/ralph/*`. */
export function addRalphTools(server: McpServer, ralph: RalphTools): void {
  server.registerTool(
    'ralph_create_run',
    {
      title: 'Start a Ralph run',
      description:
        'Implements a PRD story by story: a coding agent works on each user story in a git worktree on the PRD\'s branchName, and a story passes only when its checks (qualityChecks and verify commands) exit 0; then it is committed. Returns the run at once; follow it with ralph_get_run.',
      inputSchema: {
        prd: record.describe('The PRD: {project, branchName, description, qualityChecks: {name: command}, userStories: [{id, title, description, acceptanceCriteria, priority, dependsOn, verify}]}.'),
        codebase: z.string().min(1).describe('Registered codebase to work on (see list_codebases); it must have no uncommitted changes.'),
        agent: z.string().min(1).optional().describe('Coding agent for the stories (default: the codebase\'s).'),
        model: z.string().min(1).optional(),
        maxParallel: z.number().int().min(1).max(8).optional().describe('Independent stories at once, each in its own worktree (default 1).'),
        limits: limits.optional(),
        continueBranch: z.boolean().optional().describe('Go on with branchName although it exists.'),
      },
      outputSchema: { run: record },
    },
    (args) => refused(async () => {
      const run = await ralph.createRun(args);
      return ok({ run }, `Started Ralph run ${run.id}: ${run.storiesTotal} stories of "${run.project}" on branch ${run.branchName}.`);
    }),
  );

  server.registerTool(
    'ralph_get_run',
    {
      title: 'Get a Ralph run',
      description: 'A run with its stories (pending, running, passed, failed, blocked), each attempt (its task, outcome and check results) and the summary once it ended.',
      inputSchema: { runId: z.string().min(1) },
      outputSchema: { run: record },
      annotations: { readOnlyHint: true },
    },
    ({ runId }) => refused(() => ok({ run: ralph.get(runId) })),
  );

  server.registerTool(
    'ralph_list_runs',
    {
      title: 'List Ralph runs',
      description: 'Ralph runs, newest first, optionally in one status.',
      inputSchema: { status: z.enum(runStatuses).optional(), limit: z.number().int().min(1).max(500).optional() },
      outputSchema: { runs: z.array(record) },
      annotations: { readOnlyHint: true },
    },
    ({ status, limit }) => refused(() => {
      const runs = ralph.list({ status, limit });
      return ok({ runs }, runs.length ? runs.map(line).join('\n') : 'No Ralph runs.');
    }),
  );

  server.registerTool(
    'ralph_cancel_run',
    {
      title: 'Cancel a Ralph run',
      description: 'Stops a run: its story agents are ended, nothing more is committed, and the run ends canceled.',
      inputSchema: { runId: z.string().min(1) },
      outputSchema: { run: record },
      annotations: { destructiveHint: true },
    },
    ({ runId }) => refused(async () => {
      const run = await ralph.cancel(runId);
      return ok({ run }, `Run ${run.id} is ${run.status}.`);
    }),
  );

  server.registerTool(
    'prd_chat',
    {
      title: 'Write a PRD with the coding agent',
      description: 'Asks the codebase\'s coding agent to turn what you want built into a Ralph PRD (prd.json), and validates it. Answer again with the same contextId to refine it; pass the prd to ralph_create_run.',
      inputSchema: {
        message: z.string().min(1).describe('What to build, or how to change the last PRD.'),
        codebase: z.string().min(1),
        agent: z.string().min(1).optional(),
        model: z.string().min(1).optional(),
        contextId: z.string().min(1).optional().describe('The contextId of an earlier prd_chat, to continue it.'),
      },
      outputSchema: { taskId: z.string(), contextId: z.string(), prd: record.nullable(), errors: z.array(z.string()), reply: z.string() },
    },
    (args, extra) => refused(async () => {
      const result = await ralph.prdChat(args, extra.signal);
      const text = result.prd ? `The agent wrote a valid PRD:\n${JSON.stringify(result.prd, null, 2)}` : `No usable PRD yet:\n${result.errors.map((e) => `- ${e}`).join('\n')}`;
      return ok({ ...result, prd: result.prd as Record<string, unknown> | null }, text);
    }),
  );
}
