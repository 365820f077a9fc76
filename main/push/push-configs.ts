import type { TaskPushNotificationConfig } from '@a2a-js/sdk';

export interface CreatePushConfigOptions {
  /**
   * Also deliver the task's events already committed from this seq on. For a config that came
   * inline with SendMessage: create it with the send's firstSeq and no event of the run is missed.
   */
  fromSeq?: number;
}

/**
 * Per-task push notification configs, as the A2A edge needs them. Failures are TaskErrors:
 * 'task-not-found', 'push-config-not-found', or 'invalid-params' (for example a webhook URL whose
 * literal IP is loopback or private and not allowlisted).
 */
export interface PushConfigs {
  /**
   * Validates and stores the config (assigning an id when it has none; an existing id is
   * replaced); delivery starts with the task's next event (or at `options.fromSeq`). The URL's
   * scheme, syntax and any literal IP are checked here; a host name is resolved, and each of its
   * addresses checked, at every delivery.
   */
  create(config: TaskPushNotificationConfig, options?: CreatePushConfigOptions): Promise<TaskPushNotificationConfig>;
  /**
   * The target check of `create` on its own, so a config that comes inline with SendMessage is
   * refused before its task exists rather than after the agent has started.
   */
  checkTarget(url: string): Promise<void>;
  get(taskId: string, id: string): TaskPushNotificationConfig;
  list(taskId: string): TaskPushNotificationConfig[];
  delete(taskId: string, id: string): void;
}
