/**
 * What the REST hooks API (`/v1/hooks`) exchanges: subscriptions, and the event bodies it posts
 * to their targets and answers its polling fallback with. One body per event occurrence, the
 * same in both, so a client that polls and is also called back sees one `id` for one occurrence.
 */

export const hookEventNames = ['task.created', 'task.completed', 'task.failed', 'task.input_required', 'ralph.run.finished'] as const;
export type HookEventName = (typeof hookEventNames)[number];

/** Narrows which occurrences a subscription receives; every named field must match. */
export interface HookFilter {
  agent?: string;
  codebase?: string;
  contextId?: string;
}

export interface HookSubscription {
  id: string;
  event: HookEventName;
  targetUrl: string;
  filter: HookFilter | null;
  createdAt: string;
  /** Who created it: a token's name, or `local` for the local user without a token. */
  createdBy: string;
}

export interface CreateHookRequest {
  event: HookEventName;
  targetUrl: string;
  filter?: HookFilter;
}

/** Fields every event body has. `id` is `<taskId>.<seq>`: the task event the occurrence is, so it never changes. */
interface HookBodyBase {
  id: string;
  event: HookEventName;
  /** When the event was committed (ISO 8601). */
  occurredAt: string;
}

/** task.created, task.completed, task.failed, task.input_required. Texts are cut to a few thousand characters. */
export interface TaskHookBody extends HookBodyBase {
  event: 'task.created' | 'task.completed' | 'task.failed' | 'task.input_required';
  taskId: string;
  contextId: string;
  /** The task's state as of the event: submitted, completed, failed, input-required. */
  state: string;
  agent: string;
  codebase: string | null;
  /** The first message of the task: what was asked. */
  input: string;
  /** The status message of the event: the agent's question, its last word, or why it failed. */
  message: string;
  /** The text of the task's artifacts so far. */
  output: string;
  createdAt: string;
  /** The task in the monitor, when the host has a publicUrl. */
  url: string | null;
}

export interface RalphHookBody extends HookBodyBase {
  event: 'ralph.run.finished';
  runId: string;
  /** completed, failed or canceled. */
  status: string;
  stopReason: string | null;
  codebase: string;
  project: string | null;
  branch: string | null;
  summary: string;
  storiesTotal: number;
  storiesPassed: number;
  iterations: number;
  url: string | null;
}

export type HookBody = TaskHookBody | RalphHookBody;
