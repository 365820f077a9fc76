import type { Artifact, Message, Task, TaskState } from '@a2a-js/sdk';
import { isSettled } from './states';

/**
 * What an agent reports while it runs; each call to `update` commits its updates in one transaction.
 * `message`: the agent answers with this Message instead of a task (A2A's quick reply). Only as the
 * first answer to a new task, before any artifact or status message: the task is then removed, the
 * client gets the Message, and the user message and the reply stay in the context's session.
 */
export type TaskUpdate =
  | { kind: 'status'; state: TaskState; message?: Message; metadata?: Record<string, unknown> }
  | { kind: 'artifact'; artifact: Artifact; append?: boolean; lastChunk?: boolean }
  | { kind: 'message'; message: Message };

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
   * Runs until the task is completed, failed, rejected (the agent will not do it), interrupted
   * (input-required, or auth-required: it waits for the client to authorize, and a message on the
   * task resumes it like an answer), or answered with a Message. Returning without reaching one of
   * those fails the task; throwing fails it with the error.
   */
  execute(ctx: ExecutionContext): Promise<void>;
}

/** Whether the run is over once this update is committed: the task settled, or was answered with a Message. */
export function endsRun(update: TaskUpdate): boolean {
  return update.kind === 'message' || (update.kind === 'status' && isSettled(update.state));
}
