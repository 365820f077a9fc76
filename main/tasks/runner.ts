import type { Message, Task } from '@a2a-js/sdk';
import type { TaskUpdate } from './executor';

/** A committed task ready for a run: what a dispatcher needs to place it. */
export interface RunnableTask {
  taskId: string;
  agent: string;
  /** The user message that starts or resumes this run. */
  message: Message;
  /** The task as committed when it became runnable, history included. */
  task: Task;
}

/** A run claimed by a worker outside this process. */
export interface ClaimedRun {
  /** The task as committed by the claim, history included. */
  task: Task;
  /** 1 for the first run of the task; requeues count up. */
  attempt: number;
}

/** What the task core lets a dispatcher do with a task; each call is one atomic commit. */
export interface TaskRunner {
  /** Runs the task's agent in this process; resolves once the run has ended. */
  runLocal(job: RunnableTask): Promise<void>;
  /** Marks the task working for a remote worker, noting who in the event log; undefined when it may no longer run (canceled meanwhile). */
  claim(taskId: string, note: string): ClaimedRun | undefined;
  /** A remote run's updates; throws a TaskError when the task no longer takes them (canceled, ended). */
  report(taskId: string, updates: TaskUpdate[]): void;
  /** Back to submitted with `reason` in the event log, one more attempt counted; the task as requeued. */
  requeue(taskId: string, reason: string): Task;
  fail(taskId: string, reason: string): void;
  /** Resolves once everything committed so far is on disk. */
  durable(): Promise<void>;
}

/** Places runnable tasks on workers. The task core hands it every task right after the commit that made it runnable. */
export interface Dispatcher {
  offer(job: RunnableTask): void;
  /** The task was canceled: drop it from the queue and stop its run wherever that is. */
  cancel(taskId: string): void;
  /** Whether some worker (this process or a registered remote one) runs agent `name`. */
  hasAgent(name: string): boolean;
  agentNames(): string[];
  /** Whether a codebase of this name is registered here or served by a registered remote worker. */
  hasCodebase(name: string): boolean;
  codebaseNames(): string[];
}

export type DispatcherFactory = (runner: TaskRunner) => Dispatcher;
