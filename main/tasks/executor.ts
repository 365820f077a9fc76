import type { Artifact, Message, Task, TaskState } from '@a2a-js/sdk';

/** What an agent reports while it runs; each call to `update` commits its updates in one transaction. */
export type TaskUpdate =
  | { kind: 'status'; state: TaskState; message?: Message; metadata?: Record<string, unknown> }
  | { kind: 'artifact'; artifact: Artifact; append?: boolean; lastChunk?: boolean };

export interface ExecutionContext {
  /** The task as committed when the run started, history included. */
  readonly task: Task;
  /** The user message that started or resumed this run. */
  readonly message: Message;
  /** Aborted when the task is canceled or the host shuts down; stop promptly. */
  readonly signal: AbortSignal;
  /**
   * Commits updates and fans them out. Throws a TaskError for an illegal transition
   * (for example after the task was canceled), which ends the run.
   */
  update(...updates: TaskUpdate[]): void;
}

export interface AgentSkillInfo {
  id: string;
  name: string;
  description: string;
  tags: string[];
  examples?: string[];
}

/** An agent the host can run a task with. Later issues add pty-backed coding agents behind this. */
export interface AgentExecutor {
  readonly name: string;
  readonly description: string;
  readonly skill: AgentSkillInfo;
  /**
   * Runs until the task is completed, failed, or interrupted (input-required / auth-required).
   * Returning without reaching one of those states fails the task; throwing fails it with the error.
   */
  execute(ctx: ExecutionContext): Promise<void>;
}
