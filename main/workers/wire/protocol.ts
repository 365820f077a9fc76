import { Artifact, Message, TaskState } from '@a2a-js/sdk';
import { z } from 'zod';
import type { TaskUpdate } from '../../tasks/executor';

/**
 * The remote worker protocol, spoken by `codetether worker` and answered by the host under
 * /workers. Every route needs a token with the 'worker' scope, also on loopback.
 *
 *   POST /workers/register                                   RegisterRequest -> RegisterResponse
 *   POST /workers/sessions/{session}/claim                   long-poll: 200 Assignment, or 204 after claimWaitMs
 *   POST /workers/sessions/{session}/heartbeat               HeartbeatRequest -> HeartbeatResponse
 *   POST /workers/sessions/{session}/leases/{lease}/events   EventsRequest -> { applied }
 *   POST /workers/sessions/{session}/leases/{lease}/complete CompleteRequest -> {}
 *
 * Refusals: 404 session_unknown (the host restarted: register again, drop every run), 410
 * lease_lost (the lease expired and the task went elsewhere: stop that run), 409 run_ended (the
 * task was canceled or has ended: stop that run).
 */
export const workerPaths = {
  register: '/workers/register',
  claim: (session: string) => `/workers/sessions/${encodeURIComponent(session)}/claim`,
  heartbeat: (session: string) => `/workers/sessions/${encodeURIComponent(session)}/heartbeat`,
  events: (session: string, lease: string) => `/workers/sessions/${encodeURIComponent(session)}/leases/${encodeURIComponent(lease)}/events`,
  complete: (session: string, lease: string) => `/workers/sessions/${encodeURIComponent(session)}/leases/${encodeURIComponent(lease)}/complete`,
};

const name = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/);

export const registerRequest = z.object({
  /** Stable for one worker process; a re-registration after a host restart keeps it. */
  workerId: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  /** Codebase names only: paths stay on the worker's machine. */
  codebases: z.array(name).max(1000),
  agents: z.array(name).min(1).max(1000),
  concurrency: z.number().int().min(1).max(1000),
});
export type RegisterRequest = z.infer<typeof registerRequest>;

export interface RegisterResponse {
  sessionId: string;
  leaseMs: number;
  heartbeatMs: number;
  claimWaitMs: number;
}

export interface Assignment {
  leaseId: string;
  taskId: string;
  agent: string;
  /** 1 for the first run; requeues count up. */
  attempt: number;
  /** Task and message as A2A v1.0 ProtoJSON. */
  task: unknown;
  message: unknown;
}

export const heartbeatRequest = z.object({ leases: z.array(z.string()).max(1000) });
export type HeartbeatRequest = z.infer<typeof heartbeatRequest>;

export interface HeartbeatResponse {
  /** Leases the host no longer holds for this worker: stop those runs. */
  lost: string[];
  /** Leases whose task was canceled: stop those runs. */
  canceled: string[];
}

const wireUpdate = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('status'), state: z.string(), message: z.unknown().optional(), metadata: z.record(z.string(), z.unknown()).optional() }),
  z.object({ kind: z.literal('artifact'), artifact: z.unknown(), append: z.boolean().optional(), lastChunk: z.boolean().optional() }),
  z.object({ kind: z.literal('message'), message: z.unknown() }),
]);
export type WireUpdate = z.infer<typeof wireUpdate>;

/** `seq` numbers a run's batches from 1; a batch sent again with a seq already applied is acknowledged, not applied twice. */
export const eventsRequest = z.object({ seq: z.number().int().min(1), updates: z.array(wireUpdate).min(1).max(10_000) });
export type EventsRequest = z.infer<typeof eventsRequest>;

/** Sent once every batch of the run is acknowledged; `error` says why the run stopped without a result. */
export const completeRequest = z.object({ error: z.string().max(10_000).optional() });
export type CompleteRequest = z.infer<typeof completeRequest>;

export function encodeUpdate(u: TaskUpdate): WireUpdate {
  if (u.kind === 'artifact') return { kind: 'artifact', artifact: Artifact.toJSON(u.artifact), append: u.append, lastChunk: u.lastChunk };
  if (u.kind === 'message') return { kind: 'message', message: Message.toJSON(u.message) };
  return { kind: 'status', state: TaskState[u.state], message: u.message ? Message.toJSON(u.message) : undefined, metadata: u.metadata };
}

/** Throws on a state name that is not a TaskState. */
export function decodeUpdate(w: WireUpdate): TaskUpdate {
  if (w.kind === 'artifact') return { kind: 'artifact', artifact: Artifact.fromJSON(w.artifact), append: w.append, lastChunk: w.lastChunk };
  if (w.kind === 'message') return { kind: 'message', message: Message.fromJSON(w.message) };
  const state = TaskState[w.state as keyof typeof TaskState];
  if (typeof state !== 'number') throw new Error(`unknown task state ${JSON.stringify(w.state)}`);
  return { kind: 'status', state, message: w.message === undefined ? undefined : Message.fromJSON(w.message), metadata: w.metadata };
}
