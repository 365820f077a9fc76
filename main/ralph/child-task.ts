import { Role, TaskState, type Message, type Task } from '@a2a-js/sdk';
import { textPart } from '../tasks/agent-message';
import type { TaskService } from '../tasks/service';
import { isTerminal } from '../tasks/states';
import { lostRunReason } from '../tasks/service';
import { messageText } from '../tasks/task-text';

export interface ChildSpec {
  runId: string;
  storyId: string;
  attempt: number;
  messageId: string;
  prompt: string;
  agent: string;
  codebase: string;
  /** The worktree the agent works in (the run's, or the story's in parallel mode). */
  worktree: string;
  model: string | null;
}

/**
 * Sends a story attempt to the coding agent as a task of its own that references the run.
 * `retry: false`: a run of it lost to a host restart is not re-run by the task core; Ralph
 * counts it as an interrupted attempt and starts the next one itself.
 */
export function sendChild(tasks: TaskService, spec: ChildSpec): Promise<{ task: Task }> {
  const message: Message = {
    messageId: spec.messageId, contextId: '', taskId: '', role: Role.ROLE_USER, parts: [textPart(spec.prompt)],
    metadata: undefined, extensions: [], referenceTaskIds: [spec.runId],
  };
  const metadata: Record<string, unknown> = {
    agent: spec.agent, codebase: spec.codebase, worktree: spec.worktree, retry: false,
    ralph: { runId: spec.runId, storyId: spec.storyId, attempt: spec.attempt },
    ...(spec.model ? { model: spec.model } : {}),
  };
  return tasks.send({ message, metadata });
}

export type Followed = { kind: 'settled'; task: Task } | { kind: 'timeout' } | { kind: 'halted' };

/** Waits for the child to end or ask for input, until `deadline` (epoch ms) or `signal`. */
export async function followChild(tasks: TaskService, taskId: string, deadline: number, signal: AbortSignal): Promise<Followed> {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, Math.max(0, deadline - Date.now()));
  const onStop = () => ctl.abort();
  signal.addEventListener('abort', onStop, { once: true });
  if (signal.aborted) ctl.abort();
  try {
    return { kind: 'settled', task: await tasks.settled(taskId, ctl.signal) };
  } catch (err) {
    if (timedOut) return { kind: 'timeout' };
    if (signal.aborted) return { kind: 'halted' };
    throw err;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onStop);
  }
}

/** Cancels the child if it still runs; its agent's process group is ended by the task core. */
export async function cancelChild(tasks: TaskService, taskId: string): Promise<void> {
  try {
    if (!isTerminal(tasks.get(taskId).status!.state)) await tasks.cancel(taskId);
  } catch {
    // It ended meanwhile, or is unknown: nothing runs.
  }
}

/** The child's run was lost to a host restart (and, with `retry: false`, not re-run). */
export function lostToRestart(task: Task): boolean {
  return task.status?.state === TaskState.TASK_STATE_FAILED && messageText(task.status.message).startsWith(lostRunReason);
}

/** The most tokens the child reported (status metadata `usage.totalTokens`, a running total); null when it reported none. */
export function tokensOf(tasks: TaskService, taskId: string): number | null {
  let most: number | null = null;
  for (const e of tasks.eventsAfter(taskId, 0)) {
    if (!e.json.includes('totalTokens')) continue;
    const body = JSON.parse(e.json) as { statusUpdate?: { metadata?: { usage?: { totalTokens?: unknown } } } };
    const n = body.statusUpdate?.metadata?.usage?.totalTokens;
    if (typeof n === 'number') most = Math.max(most ?? 0, n);
  }
  return most;
}
