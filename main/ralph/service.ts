import { Role, type Message } from '@a2a-js/sdk';
import type { CreateRunRequest, PrdChatRequest, PrdChatResult, RunLogLine, RunStatus, RunSummaryView, RunView } from '../../shared/ralph-api';
import type { RalphRunRow } from '../store/ralph-repository';
import { TaskError } from '../tasks/task-error';
import { createRalphAgent, ensureRun, RALPH_AGENT } from './agent';
import { cancelChild } from './child-task';
import { createRalphStore, type RalphDeps, type RunChange } from './context';
import { showCommit } from './git-tree';
import { prdChat } from './prd-chat';
import { parseRunInput } from './run-input';
import { runSummary } from './summary';
import { logLine, prdOfRow, runView, summaryView } from './views';
import { startProblem } from './worktree-setup';
import { validatePrd } from './prd';

/** A refusal with the HTTP status it maps to and, for a bad PRD, every problem. */
export class RalphError extends Error {
  constructor(
    readonly code: 'invalid' | 'not_found' | 'conflict',
    message: string,
    readonly errors: string[] = [],
  ) {
    super(message);
    this.name = 'RalphError';
  }
}

export interface RalphServiceDeps extends RalphDeps {
  /** Every agent a task can name. */
  agentNames: () => string[];
}

const ended = (status: string) => status === 'completed' || status === 'failed' || status === 'canceled';

/** Ralph for the host: its agent, and the API the REST routes, MCP tools and the CLI drive. */
export function createRalph(deps: RalphServiceDeps) {
  const store = createRalphStore(deps);
  const active = new Set<string>();
  const agent = createRalphAgent(deps, store, active);
  const repo = store.repo;

  function mustRun(id: string): RalphRunRow {
    const run = repo.getRun(id);
    if (!run) throw new RalphError('not_found', `No Ralph run ${id}. GET /v1/ralph/runs lists them.`);
    return run;
  }

  function checkAgent(name: string | undefined): void {
    if (name === undefined || deps.agentNames().includes(name)) return;
    throw new RalphError('invalid', `Unknown agent "${name}". Agents on this host: ${deps.agentNames().filter((a) => a !== RALPH_AGENT).join(', ')}.`);
  }

  async function createRun(req: CreateRunRequest): Promise<RunView> {
    const prd = validatePrd(req.prd);
    if (!prd.ok) throw new RalphError('invalid', `The PRD is not valid: ${prd.errors.join('; ')}`, prd.errors);
    const codebase = deps.codebases.get(req.codebase);
    if (!codebase) throw new RalphError('invalid', `No codebase named "${req.codebase}" is registered. Register it with: codetether codebase add ${req.codebase} PATH`);
    checkAgent(req.agent);
    const problem = await startProblem(codebase, prd.value.branchName, req.continueBranch ?? false);
    if (problem) throw new RalphError('conflict', problem);
    const message: Message = {
      messageId: crypto.randomUUID(), contextId: '', taskId: '', role: Role.ROLE_USER,
      parts: [{ content: { $case: 'data', value: { prd: req.prd } }, metadata: undefined, filename: 'prd.json', mediaType: 'application/json' }],
      metadata: undefined, extensions: [], referenceTaskIds: [],
    };
    const metadata = {
      agent: RALPH_AGENT, codebase: req.codebase, ...(req.agent ? { storyAgent: req.agent } : {}), ...(req.model ? { model: req.model } : {}),
      maxParallel: req.maxParallel ?? 1, limits: req.limits ?? {}, continueBranch: req.continueBranch ?? false,
    };
    const { task } = await deps.tasks().send({ message, metadata });
    const input = parseRunInput(task, message);
    if (!input.ok) throw new RalphError('invalid', input.errors.join('; '), input.errors);
    return runView(repo, ensureRun(deps, store, task.id, input.value));
  }

  function list(options: { status?: RunStatus; limit?: number } = {}): RunSummaryView[] {
    return repo.listRuns({ status: options.status, limit: options.limit ?? 50 }).map((r) => summaryView(repo, r));
  }

  function get(id: string): RunView {
    return runView(repo, mustRun(id));
  }

  /** Resolves once `check` holds for the run, or after `ms`. */
  function waitFor(id: string, check: (run: RalphRunRow) => boolean, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      };
      const timer = setTimeout(done, ms);
      const unsubscribe = store.subscribe((c) => c.runId === id && check(mustRun(id)) && done());
      if (check(mustRun(id))) done();
    });
  }

  /**
   * Cancels the run's task and every story task still running (their agents' process groups end);
   * the run ends `canceled`. Where no loop of it runs in this process, the stories are stopped here.
   */
  async function cancel(id: string): Promise<RunView> {
    const run = mustRun(id);
    if (ended(run.status)) throw new RalphError('conflict', `Run ${id} has already ended (${run.status}); there is nothing to cancel.`);
    try {
      await deps.tasks().cancel(id);
    } catch (err) {
      if (!(err instanceof TaskError)) throw err;
    }
    if (active.has(id)) {
      await waitFor(id, (r) => ended(r.status), 10_000);
    }
    if (!ended(mustRun(id).status)) {
      const now = Date.now();
      for (const a of repo.attempts(id).filter((x) => ['running', 'checking', 'committing'].includes(x.outcome))) {
        if (a.task_id) await cancelChild(deps.tasks(), a.task_id);
        store.write(id, () => repo.updateAttempt(id, a.story_id, a.number, { outcome: 'canceled', note: 'the run was canceled', ended_at: now }));
      }
      store.write(id, () => {
        for (const s of repo.stories(id).filter((x) => x.state === 'running')) repo.updateStory(id, s.story_id, { state: 'failed', stop_reason: 'run_stopped', note: 'the run was canceled', ended_at: now }, now);
        repo.updateRun(id, { status: 'canceled', stop_reason: 'canceled', summary: runSummary(repo, mustRun(id), prdOfRow(run)), ended_at: now }, now);
      });
      store.log(id, 'error', null, 'run canceled: canceled');
    }
    await store.durable();
    return get(id);
  }

  function logs(id: string, afterSeq = 0, limit = 500): RunLogLine[] {
    mustRun(id);
    return repo.logAfter(id, afterSeq, limit).map(logLine);
  }

  /** `git show` of a passed story's commit. */
  async function diff(id: string, storyId: string): Promise<string> {
    const run = mustRun(id);
    const story = repo.stories(id).find((s) => s.story_id === storyId);
    if (!story) throw new RalphError('not_found', `Run ${id} has no story "${storyId}".`);
    if (!story.commit_sha) throw new RalphError('conflict', `Story ${storyId} has no commit yet (it is ${story.state}).`);
    const where = run.worktree ?? deps.codebases.get(run.codebase)?.path;
    if (!where) throw new RalphError('not_found', `The run's worktree and codebase are gone; the commit ${story.commit_sha} is on branch ${prdOfRow(run).branchName}.`);
    const shown = await showCommit(where, story.commit_sha);
    if (!shown.ok) throw new RalphError('not_found', shown.error);
    return shown.value;
  }

  async function chat(req: PrdChatRequest, signal?: AbortSignal): Promise<PrdChatResult> {
    const codebase = deps.codebases.get(req.codebase);
    if (!codebase) throw new RalphError('invalid', `No codebase named "${req.codebase}" is registered.`);
    checkAgent(req.agent);
    return prdChat(deps.tasks(), { message: req.message, codebase, agent: req.agent ?? deps.defaultAgent(req.codebase), model: req.model, contextId: req.contextId }, signal);
  }

  return {
    agent,
    createRun,
    list,
    get,
    cancel,
    logs,
    diff,
    prdChat: chat,
    /** Hears of every committed change to any run (with the log line when one was added). */
    subscribe: (listener: (change: RunChange) => void) => store.subscribe(listener),
  };
}

export type Ralph = ReturnType<typeof createRalph>;
