/**
 * Domain failures of the task core. The A2A edge maps each kind to the protocol's error code;
 * MCP and the monitor map them their own way.
 */
export type TaskErrorKind =
  | 'task-not-found'
  | 'task-not-cancelable'
  | 'invalid-transition'
  | 'invalid-params'
  | 'unsupported-operation'
  | 'push-config-not-found'
  | 'shutting-down';

export class TaskError extends Error {
  constructor(
    readonly kind: TaskErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'TaskError';
  }
}
