import { terminalStateNames, type TaskStateName } from '../../../shared/monitor-api';

/** "TASK_STATE_INPUT_REQUIRED" -> "input-required", the spelling the monitor API uses. */
export function stateFromProto(state: string): TaskStateName {
  return state.replace(/^TASK_STATE_/, '').toLowerCase().replace(/_/g, '-') as TaskStateName;
}

export function isFinal(state: string): boolean {
  return terminalStateNames.has(state);
}

/** Waiting on the person: the task view offers an answer box. */
export function needsInput(state: string): boolean {
  return state === 'input-required' || state === 'auth-required';
}

export const stateLabels: Record<TaskStateName, string> = {
  submitted: 'Queued',
  working: 'Running',
  'input-required': 'Needs input',
  'auth-required': 'Needs auth',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
  rejected: 'Rejected',
};
