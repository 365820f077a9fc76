import { Role, TaskState, type Task } from '@a2a-js/sdk';
import type { HookEventName, RalphHookBody, TaskHookBody } from '../../shared/hooks-api';
import type { HookRepository } from '../store/hook-repository';
import type { RalphRepository } from '../store/ralph-repository';
import { stateName } from '../tasks/states';
import { decodeEvent, type TaskEvent } from '../tasks/task-event';
import { artifactText, messageText } from '../tasks/task-text';
import type { TaskService } from '../tasks/service';

/** The agent whose tasks are Ralph runs (main/ralph names it so too). */
export const RALPH_AGENT = 'ralph';
const TEXT_LIMIT = 4000;
const OUTPUT_LIMIT = 10_000;

/** The task state each task event is about; ralph.run.finished is any end of a Ralph run's task. */
export const statesOf: Record<Exclude<HookEventName, 'task.created'>, readonly string[]> = {
  'task.completed': ['completed'],
  'task.failed': ['failed'],
  'task.input_required': ['input-required'],
  'ralph.run.finished': ['completed', 'failed', 'canceled'],
};

/** `<taskId>.<seq>`: the task event an occurrence is, so its id is the same however it is found. */
export const occurrenceId = (taskId: string, seq: number) => `${taskId}.${seq}`;

/**
 * The hook events a committed task event is, before the agent is known: a task's first event
 * is its creation; a status event is whatever its state names. Whether a run's end is a Ralph
 * run's is for the caller to check (`ralph.run.finished` is offered for every end).
 */
export function eventsOf(event: TaskEvent): { names: HookEventName[]; state: string } {
  if (event.kind === 'task') return { names: event.seq === 1 ? ['task.created'] : [], state: 'submitted' };
  if (event.kind !== 'statusUpdate') return { names: [], state: '' };
  const payload = (event.response ?? decodeEvent(event)).payload;
  if (payload?.$case !== 'statusUpdate') return { names: [], state: '' };
  const state = stateName(payload.value.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED);
  const names = (Object.keys(statesOf) as (keyof typeof statesOf)[]).filter((name) => statesOf[name].includes(state));
  return { names, state };
}

function cut(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

function codebaseOf(metadataJson: string | null): string | null {
  if (!metadataJson) return null;
  const codebase = (JSON.parse(metadataJson) as Record<string, unknown>).codebase;
  return typeof codebase === 'string' ? codebase : null;
}

export interface BodyDeps {
  repo: Pick<HookRepository, 'taskFacts' | 'eventTime'>;
  tasks: Pick<TaskService, 'get'>;
  ralph: Pick<RalphRepository, 'getRun' | 'stories'>;
  /** The monitor's base for links; none: bodies carry no url. */
  publicUrl?: string;
}

/** Where a task's facts say it runs, and what it is; undefined for a task of another device or one gone. */
export function taskFactsOf(deps: BodyDeps, taskId: string) {
  const facts = deps.repo.taskFacts(taskId);
  return facts && facts.origin === null
    ? { agent: facts.agent, contextId: facts.context_id, createdAt: facts.created_at, codebase: codebaseOf(facts.metadata_json) }
    : undefined;
}

export type TaskFacts = NonNullable<ReturnType<typeof taskFactsOf>>;

/**
 * The body of one occurrence. Built from the store (the task as it is, the event's commit
 * time), so the body a subscription gets and the one the polling fallback answers agree; the
 * state is the event's (`at.state`), and a creation is described as the task stood then (no
 * output yet). Undefined when the task is gone.
 */
export function buildBody(deps: BodyDeps, name: HookEventName, at: { taskId: string; seq: number; state: string }, facts: TaskFacts): TaskHookBody | RalphHookBody | undefined {
  const { taskId, seq } = at;
  let task: Task;
  try {
    task = deps.tasks.get(taskId, { includeArtifacts: name !== 'task.created' });
  } catch {
    return undefined;
  }
  const occurredAt = new Date(deps.repo.eventTime(taskId, seq) ?? Date.now()).toISOString();
  const base = deps.publicUrl?.replace(/\/+$/, '');
  const id = occurrenceId(taskId, seq);
  if (name === 'ralph.run.finished') {
    const run = deps.ralph.getRun(taskId);
    let prd: { project?: unknown; branchName?: unknown } = {};
    try {
      prd = run ? (JSON.parse(run.prd_json) as typeof prd) : {};
    } catch {
      prd = {};
    }
    const stories = run ? deps.ralph.stories(taskId) : [];
    const ended = run && ['completed', 'failed', 'canceled'].includes(run.status);
    return {
      id,
      event: name,
      occurredAt,
      runId: taskId,
      status: ended ? run.status : at.state,
      stopReason: run?.stop_reason ?? null,
      codebase: run?.codebase ?? facts.codebase ?? '',
      project: typeof prd.project === 'string' ? prd.project : null,
      branch: typeof prd.branchName === 'string' ? prd.branchName : null,
      summary: cut(run?.summary ?? messageText(task.status?.message), TEXT_LIMIT),
      storiesTotal: stories.length,
      storiesPassed: stories.filter((s) => s.state === 'passed').length,
      iterations: run?.iterations ?? 0,
      url: base ? `${base}/#/ralph/${encodeURIComponent(taskId)}` : null,
    };
  }
  const created = name === 'task.created';
  const first = task.history.find((m) => m.role === Role.ROLE_USER);
  return {
    id,
    event: name,
    occurredAt,
    taskId,
    contextId: task.contextId,
    state: at.state,
    agent: facts.agent,
    codebase: facts.codebase,
    input: cut(messageText(first), TEXT_LIMIT),
    message: created ? '' : cut(messageText(task.status?.message), TEXT_LIMIT),
    output: created ? '' : cut(artifactText(task), OUTPUT_LIMIT),
    createdAt: new Date(facts.createdAt).toISOString(),
    url: base ? `${base}/#/tasks/${encodeURIComponent(taskId)}` : null,
  };
}
