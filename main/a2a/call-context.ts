import { ServerCallContext, UnauthenticatedUser, type User } from '@a2a-js/sdk/server';
import type { AuditContext } from '../auth/actor';
import { stopSourceOf, type LazyAbort, type StopSource } from '../tasks/lazy-abort';

/**
 * The SDK's StreamResponse has no field for our per-task event `seq`, so the request handler
 * hands each yielded event's seq to the transport through the call context, in yield order.
 */
const SEQS = 'codetether.seqs';
/**
 * The SDK's call context has no cancellation either. A stream waiting for the next event
 * cannot be stopped by generator.return() (that waits for the pending await), so the
 * transport aborts this signal when the client goes away.
 */
const SIGNAL = 'codetether.signal';
/** A Last-Event-ID the transport got: SubscribeToTask then resumes after it, without a snapshot. */
const RESUME = 'codetether.resume';
/** Who sent the request and from where: the audit log records who created each task. */
const ORIGIN = 'codetether.origin';

export interface CallContextOptions {
  user?: User;
  requestedVersion?: string;
  /** Aborted when the caller is gone: a transport's own (lazy, as most calls never wait), or a signal. */
  signal?: LazyAbort | AbortSignal;
  resumeAfterSeq?: number;
  origin?: AuditContext;
}

export function createCallContext(options: CallContextOptions = {}): ServerCallContext {
  return new ServerCallContext({
    user: options.user ?? new UnauthenticatedUser(),
    requestedVersion: options.requestedVersion,
    state: new Map<string, unknown>([
      [SEQS, []],
      [SIGNAL, options.signal],
      [RESUME, options.resumeAfterSeq],
      [ORIGIN, options.origin],
    ]),
  });
}

/** Called by the request handler right before it yields the event with this seq. */
export function pushSeq(ctx: ServerCallContext, seq: number): void {
  (ctx.state?.get(SEQS) as number[] | undefined)?.push(seq);
}

/** Called by a transport for each event it writes: the seq of the event, in order. */
export function shiftSeq(ctx: ServerCallContext): number | undefined {
  return (ctx.state?.get(SEQS) as number[] | undefined)?.shift();
}

function stopOf(ctx: ServerCallContext): LazyAbort | AbortSignal | undefined {
  return ctx.state?.get(SIGNAL) as LazyAbort | AbortSignal | undefined;
}

/** Aborted when the caller is gone; undefined when the transport gave none. */
export function signalOf(ctx: ServerCallContext): AbortSignal | undefined {
  const stop = stopOf(ctx);
  return stop instanceof AbortSignal ? stop : stop?.signal;
}

/** Says when the caller is gone, without making an AbortSignal for a wait that only listens. */
export function stopSourceOfCall(ctx: ServerCallContext): StopSource | undefined {
  const stop = stopOf(ctx);
  return stop instanceof AbortSignal ? stopSourceOf(stop) : stop;
}

export function resumeSeqOf(ctx: ServerCallContext): number | undefined {
  return ctx.state?.get(RESUME) as number | undefined;
}

export function originOf(ctx: ServerCallContext | undefined): AuditContext | undefined {
  return ctx?.state?.get(ORIGIN) as AuditContext | undefined;
}
