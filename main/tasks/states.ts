import { TaskState } from '@a2a-js/sdk';

const S = TaskState;

export const terminalStates: ReadonlySet<TaskState> = new Set([
  S.TASK_STATE_COMPLETED,
  S.TASK_STATE_FAILED,
  S.TASK_STATE_CANCELED,
  S.TASK_STATE_REJECTED,
]);

/** States in which the task's run is on or about to start: its agent or worker may report. */
const activeStates: ReadonlySet<TaskState> = new Set([S.TASK_STATE_SUBMITTED, S.TASK_STATE_WORKING]);

/** States where the agent waits on the client; a new message resumes the task. */
export const interruptedStates: ReadonlySet<TaskState> = new Set([S.TASK_STATE_INPUT_REQUIRED, S.TASK_STATE_AUTH_REQUIRED]);

const allowed = new Map<TaskState, ReadonlySet<TaskState>>([
  [
    S.TASK_STATE_SUBMITTED,
    new Set<TaskState>([
      S.TASK_STATE_WORKING,
      S.TASK_STATE_INPUT_REQUIRED,
      S.TASK_STATE_AUTH_REQUIRED,
      S.TASK_STATE_COMPLETED,
      S.TASK_STATE_FAILED,
      S.TASK_STATE_CANCELED,
      S.TASK_STATE_REJECTED,
    ]),
  ],
  [
    S.TASK_STATE_WORKING,
    // working -> working carries progress messages; working -> submitted is a requeue; an agent
    // may reject a task once it has looked at it (A2A: "during creation or later").
    new Set<TaskState>([
      S.TASK_STATE_WORKING,
      S.TASK_STATE_SUBMITTED,
      S.TASK_STATE_INPUT_REQUIRED,
      S.TASK_STATE_AUTH_REQUIRED,
      S.TASK_STATE_COMPLETED,
      S.TASK_STATE_FAILED,
      S.TASK_STATE_CANCELED,
      S.TASK_STATE_REJECTED,
    ]),
  ],
  [S.TASK_STATE_INPUT_REQUIRED, new Set<TaskState>([S.TASK_STATE_WORKING, S.TASK_STATE_FAILED, S.TASK_STATE_CANCELED])],
  [S.TASK_STATE_AUTH_REQUIRED, new Set<TaskState>([S.TASK_STATE_WORKING, S.TASK_STATE_FAILED, S.TASK_STATE_CANCELED])],
]);

export function isTerminal(state: TaskState): boolean {
  return terminalStates.has(state);
}

/** The run is over for now: the task ended, or it waits on the client. */
export function isSettled(state: TaskState): boolean {
  return terminalStates.has(state) || interruptedStates.has(state);
}

export function canTransition(from: TaskState, to: TaskState): boolean {
  return allowed.get(from)?.has(to) ?? false;
}

/** Lower-case, hyphenated name used in our columns, logs and messages ("input-required"). */
export function stateName(state: TaskState): string {
  return (TaskState[state] ?? 'TASK_STATE_UNSPECIFIED').replace('TASK_STATE_', '').toLowerCase().replace(/_/g, '-');
}

const byName = new Map<string, TaskState>(
  (Object.values(TaskState).filter((v) => typeof v === 'number') as TaskState[]).map((s) => [stateName(s), s]),
);

export function stateFromName(name: string): TaskState | undefined {
  return byName.get(name);
}

/** Whether a stored state name ("working") is one of the active states. */
export function isActiveName(name: string): boolean {
  const state = byName.get(name);
  return state !== undefined && activeStates.has(state);
}
