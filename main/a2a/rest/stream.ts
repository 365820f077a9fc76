import { StreamResponse } from '@a2a-js/sdk';
import type { ServerCallContext } from '@a2a-js/sdk/server';
import type { ServerResponse } from 'node:http';
import type { HttpServer } from '../../http/server';
import { openSse } from '../../http/sse';
import { shiftSeq } from '../call-context';
import { restFailure, sendRestError } from './errors';

/**
 * Writes a handler's stream as SSE: `data:` is the bare StreamResponse JSON, `id:` the event's
 * seq (which a client hands back as Last-Event-ID to resume). The first event is awaited before
 * any header goes out, so a refusal (unknown task, bad message) is an ordinary REST error.
 * A failure after that is an `event: error` carrying the same error body, as the SDK's client
 * expects.
 */
export async function writeStream(
  res: ServerResponse,
  ctx: ServerCallContext,
  events: AsyncGenerator<StreamResponse, void, undefined>,
  onServerClose: HttpServer['onClose'],
): Promise<void> {
  let step: IteratorResult<StreamResponse, void>;
  try {
    step = await events.next();
  } catch (err) {
    return sendRestError(res, err);
  }
  const sse = openSse(res);
  // Host shutdown ends the stream; the client resumes from its Last-Event-ID elsewhere.
  const unhook = onServerClose(() => sse.close());
  try {
    while (!step.done && !sse.closed) {
      if (!sse.send(JSON.stringify(StreamResponse.toJSON(step.value)), shiftSeq(ctx))) break;
      await sse.drained();
      step = await events.next();
    }
  } catch (err) {
    sse.send(JSON.stringify(restFailure(err).body), undefined, 'error');
  } finally {
    unhook();
    sse.close();
    // Ends the generator's bus subscription; it has already seen the context's signal abort
    // if the client left while it waited.
    await events.return(undefined);
  }
}
