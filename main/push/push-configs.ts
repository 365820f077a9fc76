import type { TaskPushNotificationConfig } from '@a2a-js/sdk';

/**
 * Per-task push notification configs, as the A2A edge needs them. Failures are TaskErrors:
 * 'task-not-found', 'push-config-not-found', or 'invalid-params' (for example a webhook URL on a
 * loopback or private address that is not allowlisted).
 */
export interface PushConfigs {
  /** Validates and stores the config (assigning an id when it has none); delivery starts with the task's next event. */
  create(config: TaskPushNotificationConfig): TaskPushNotificationConfig;
  get(taskId: string, id: string): TaskPushNotificationConfig;
  list(taskId: string): TaskPushNotificationConfig[];
  delete(taskId: string, id: string): void;
}
