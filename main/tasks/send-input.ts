import type { Message, Task } from '@a2a-js/sdk';
import type { FaultListener, TaskListener } from './bus';
import type { TaskWatch } from './task-watch';

export interface SendInput {
  message: Message;
  /** Request-level metadata; `agent` here or in the message metadata picks the agent. */
  metadata?: Record<string, unknown>;
  /** Who sent it and from where, for the audit log's record of a new task; `actor` alone for a sender with no request. */
  origin?: { actor: string; source?: string };
}

export interface SendOptions {
  /** Follow the task from this message on with a TaskWatch (returned as `watch`). */
  watch?: boolean;
  /**
   * Subscribed to the task's events before any of this send's events is published, so it misses
   * none (an agent may answer, even with a Message that removes the task, before the send
   * returns). Unsubscribed by the result's `unfollow`.
   */
  follow?: TaskListener;
  /** With `follow`: told when a change of the task is lost with a failed commit. */
  followFault?: FaultListener;
}

export interface SendResult {
  task: Task;
  /** Seq of the first event this call committed: a stream of this send starts there. */
  firstSeq: number;
  /** When asked for: the task followed from `task` on. Close it if it is not waited on. */
  watch?: TaskWatch;
  /** With `follow`: ends that subscription. */
  unfollow?: () => void;
}

/** The agent the message asks for (request metadata first, then the message's); validated by the caller. */
export function agentOf(input: SendInput): unknown {
  return input.metadata?.agent ?? input.message.metadata?.agent;
}

/** The codebase the message names, if it names one by a string. */
export function codebaseOf(input: SendInput): string | undefined {
  const named = input.metadata?.codebase ?? input.message.metadata?.codebase;
  return typeof named === 'string' ? named : undefined;
}

/**
 * The metadata a new task keeps: the request's, plus the codebase when only the message names
 * it (the RLM command and many A2A clients put it there), so every list and every device reads
 * where the task runs from the task itself.
 */
export function recordedMetadata(input: SendInput): Record<string, unknown> | undefined {
  const request = input.metadata ?? {};
  const codebase = input.message.metadata?.codebase;
  const metadata = request.codebase === undefined && typeof codebase === 'string' ? { ...request, codebase } : request;
  return Object.keys(metadata).length ? metadata : undefined;
}
