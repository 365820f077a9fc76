import { JsonRpcTransportHandler, type ServerCallContext } from '@a2a-js/sdk/server';
import { LegacyJsonRpcTransportHandler } from '@a2a-js/sdk/compat/v0_3/server';
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http/respond';
import { openSse } from '../http/sse';
import { shiftSeq } from './call-context';
import type { JsonRpcId } from './jsonrpc-envelope';

export type CloseRegistry = (hook: () => void) => () => void;

export interface StreamOptions {
  ctx: ServerCallContext;
  id: JsonRpcId;
  dialect: 'v1' | 'v0.3';
  /** Aborted when the stream closes for any reason, which ends the handler's generator. */
  abort: { abort(): void };
  onClose: CloseRegistry;
}

function errorEnvelope(err: unknown, options: StreamOptions) {
  const error = options.dialect === 'v1' ? JsonRpcTransportHandler.mapToJSONRPCError(err) : LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError(err);
  return { jsonrpc: '2.0', id: options.id, error };
}

/**
 * Writes a streaming JSON-RPC answer as SSE, each event with `id: <seq>`. The SDK's stream is
 * lazy, so the first event is awaited before any header goes out: a failure there (unknown
 * task, bad params) is answered as a plain JSON-RPC error instead of an SSE stream.
 */
export async function streamJsonRpc(res: ServerResponse, events: AsyncGenerator<unknown, void, undefined>, options: StreamOptions): Promise<void> {
  let first: IteratorResult<unknown, void>;
  try {
    first = await events.next();
  } catch (err) {
    return sendJson(res, 200, errorEnvelope(err, options));
  }
  const sse = openSse(res);
  const unregister = options.onClose(() => sse.close());
  sse.onClose(() => {
    unregister();
    options.abort.abort();
  });
  const write = (envelope: unknown) => sse.send(JSON.stringify(envelope), shiftSeq(options.ctx));
  try {
    if (first.done || !write(first.value)) return;
    for (;;) {
      await sse.drained();
      const next = await events.next();
      if (next.done || !write(next.value)) return;
    }
  } catch (err) {
    sse.send(JSON.stringify(errorEnvelope(err, options)));
  } finally {
    sse.close();
    await events.return(undefined);
  }
}
