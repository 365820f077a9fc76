// Messages between the host side of the sandbox (sandbox.ts) and its worker thread (worker.ts).
// Sub-calls travel on their own channel: the worker posts a request on `parentPort`, blocks on
// the shared flag, and takes the answer synchronously from `replies` (receiveMessageOnPort), so
// the sandboxed code sees llm_query as an ordinary function and never parses anything itself.
import type { MessagePort } from 'node:worker_threads';

/** Caps the worker enforces inside QuickJS. */
export interface SandboxCaps {
  memoryBytes: number;
  stackBytes: number;
  /** Characters of printed output kept per step; the rest is only counted. */
  outputChars: number;
  /** Longest prompt one sub-call may take, in characters. */
  promptChars: number;
  /** Most prompts one llm_query_batched call may carry (the per-step sub-call cap). */
  batchMax: number;
}

export interface WorkerInit {
  caps: SandboxCaps;
  /** Int32Array over it: [0] is 1 while a sub-call answer waits in `replies`. */
  flag: SharedArrayBuffer;
  replies: MessagePort;
}

/** How a step or a load ended early; each limit has its own. */
export type SandboxStop = 'step_timeout' | 'memory_limit' | 'stack_limit' | 'step_sub_calls';

export type ToWorker =
  | { type: 'doc'; name: string }
  | { type: 'bytes'; data: Uint8Array; last: boolean }
  | { type: 'text'; data: string; last: boolean }
  | { type: 'seal'; single: boolean }
  | { type: 'run'; id: number; code: string; deadline: number };

export interface StepResult {
  output: string;
  /** Output characters the code printed, kept or not. */
  outputChars: number;
  error?: string;
  stop?: SandboxStop;
  final?: string;
}

export type FromWorker =
  | { type: 'ready' }
  /** One 'bytes' or 'text' message taken in: the host sends the next (flow control). */
  | { type: 'took' }
  | { type: 'sealed'; chars: number }
  | { type: 'load-failed'; message: string; stop?: SandboxStop }
  | { type: 'llm'; id: number; prompts: string[]; deadline: number }
  | ({ type: 'done'; id: number } & StepResult);

export type SubCallReply = { id: number; ok: true; texts: string[] } | { id: number; ok: false; error: string };
