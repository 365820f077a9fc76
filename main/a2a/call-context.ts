import { ServerCallContext, UnauthenticatedUser, type User } from '@a2a-js/sdk/server';

/**
 * The SDK's StreamResponse has no field for our per-task event `seq`, so the request handler
 * hands each yielded event's seq to the transport through the call context, in yield order.
 */
const SEQS = 'codetether.seqs';

export function createCallContext(options: { user?: User; requestedVersion?: string } = {}): ServerCallContext {
  return new ServerCallContext({
    user: options.user ?? new UnauthenticatedUser(),
    requestedVersion: options.requestedVersion,
    state: new Map<string, unknown>([[SEQS, []]]),
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
