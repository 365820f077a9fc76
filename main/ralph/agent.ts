import { Role, TaskState, type Message, type Task } from '@a2a-js/sdk';
import type { RalphRunRow } from '../store/ralph-repository';
import { agentMessage } from '../tasks/agent-message';
import type { AgentExecutor, ExecutionContext, TaskUpdate } from '../tasks/executor';
import type { RalphDeps, RalphStore } from './context';
import { runLoop } from './loop';
import { parseRunInput, type RunInput } from './run-input';
import { runView } from './views';

export const RALPH_AGENT = 'ralph';

/** The run's row for task `runId`, made from its validated input on the first start; the same row on every later one. */
export function ensureRun(deps: RalphDeps, store: RalphStore, runId: string, input: RunInput): RalphRunRow {
  const existing = store.repo.getRun(runId);
  if (existing) return existing;
  const now = Date.now();
  store.write(runId, () =>
    store.repo.insertRun(
      {
        id: runId, codebase: input.codebase, agent: input.agent ?? deps.defaultAgent(input.codebase), model: input.model ?? null,
        prd_json: JSON.stringify(input.prd), limits_json: JSON.stringify(input.limits), max_parallel: input.maxParallel,
        continue_branch: input.continueBranch ? 1 : 0, status: 'pending', stop_reason: null, summary: null, worktree: null, base_sha: null,
        iterations: 0, tokens: 0, log_seq: 0, started_at: null, created_at: now, updated_at: now, ended_at: null,
      },
      input.prd.userStories.map((s, position) => ({
        run_id: runId, story_id: s.id, position, state: s.passes === true ? 'passed' : 'pending', stop_reason: null,
        note: s.passes === true ? 'marked passes: true in the PRD' : null, commit_sha: null, worktree: null, branch: null,
        started_at: null, ended_at: s.passes === true ? now : null,
      })),
    ),
  );
  store.log(runId, 'info', null, `run of "${input.prd.project}": ${input.prd.userStories.length} stories on branch ${input.prd.branchName}, codebase ${input.codebase}`);
  return store.repo.getRun(runId)!;
}

function firstUserMessage(task: Task, message: Message): Message {
  return task.history.find((m) => m.role === Role.ROLE_USER) ?? message;
}

/** Commits updates unless the task moved on meanwhile (canceled): then there is nobody to tell. */
function tryUpdate(ctx: ExecutionContext, ...updates: TaskUpdate[]): void {
  try {
    ctx.update(...updates);
  } catch {
    // The run's task ended (canceled); Ralph's own tables say what happened.
  }
}

/**
 * The `ralph` agent: a task of it is a run. It validates the PRD of the task's first message,
 * keeps the run in SQLite and drives its loop; started again after a host restart it resumes
 * the same run from what SQLite holds.
 */
export function createRalphAgent(deps: RalphDeps, store: RalphStore, active: Set<string>): AgentExecutor {
  return {
    name: RALPH_AGENT,
    description: 'Ralph: implements a PRD story by story with a coding agent, proving each story with its checks and committing it',
    skill: {
      id: 'ralph',
      name: 'Ralph PRD loop',
      description: 'Send a PRD (prd.json as a data or file part) with metadata codebase (and storyAgent, limits, maxParallel): each story is implemented by a coding agent, checked by its commands and committed on the PRD branch.',
      tags: ['prd', 'loop', 'autonomous'],
    },
    async execute(ctx) {
      const parsed = parseRunInput(ctx.task, firstUserMessage(ctx.task, ctx.message));
      if (!parsed.ok) {
        ctx.update({ kind: 'status', state: TaskState.TASK_STATE_FAILED, message: agentMessage(ctx.task, `The run cannot start:\n${parsed.errors.map((e) => `- ${e}`).join('\n')}`) });
        return;
      }
      const runId = ctx.task.id;
      const run = ensureRun(deps, store, runId, parsed.value);
      if (run.status === 'pending' || run.status === 'running') {
        const prd = parsed.value.prd;
        tryUpdate(ctx, { kind: 'status', state: TaskState.TASK_STATE_WORKING, message: agentMessage(ctx.task, `Ralph: ${prd.userStories.length} stories of "${prd.project}" on branch ${prd.branchName}`), metadata: { ralphRun: runId } });
        active.add(runId);
        try {
          const end = await runLoop({ deps, store, runId, signal: ctx.signal, report: (text) => tryUpdate(ctx, { kind: 'status', state: TaskState.TASK_STATE_WORKING, message: agentMessage(ctx.task, text) }) });
          if (end.kind === 'halted') return;
        } finally {
          active.delete(runId);
        }
      }
      const ended = store.repo.getRun(runId)!;
      const view = runView(store.repo, ended);
      tryUpdate(
        ctx,
        { kind: 'artifact', artifact: { artifactId: 'ralph-run', name: 'ralph-run', description: 'The run: its stories, attempts and checks.', parts: [{ content: { $case: 'data', value: view }, metadata: undefined, filename: '', mediaType: 'application/json' }], metadata: undefined, extensions: [] }, lastChunk: true },
        { kind: 'status', state: ended.status === 'completed' ? TaskState.TASK_STATE_COMPLETED : TaskState.TASK_STATE_FAILED, message: agentMessage(ctx.task, ended.summary ?? ended.status), metadata: { ralphRun: runId, stopReason: ended.stop_reason } },
      );
    },
  };
}
