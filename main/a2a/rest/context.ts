import { A2A_PROTOCOL_VERSION } from '@a2a-js/sdk';
import type { ServerCallContext } from '@a2a-js/sdk/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditContext } from '../../auth/actor';
import { lazyAbort } from '../../tasks/lazy-abort';
import { createCallContext } from '../call-context';
import { userOf } from '../rpc-user';

/**
 * The call context of one REST request. Its signal aborts when the response closes unfinished, which is
 * how a blocking send or a stream learns that its client has gone. `resumeAfterSeq` is a
 * subscribe's Last-Event-ID.
 */
export function restContext(req: IncomingMessage, res: ServerResponse, resumeAfterSeq?: number): ServerCallContext {
  const stop = lazyAbort();
  res.once('close', () => {
    if (!res.writableFinished) stop.abort();
  });
  return createCallContext({ user: userOf(req), requestedVersion: A2A_PROTOCOL_VERSION, signal: stop, resumeAfterSeq, origin: auditContext(req) });
}
