import type { ServerResponse } from 'node:http';
import { readBody } from '../../http/body';
import { sendError, sendJson } from '../../http/respond';
import { badRequest, readBodyAs } from '../../http/request';
import type { Router } from '../../http/router';
import type { HostDispatcher } from './dispatcher';
import type { RemoteRefusal, RemoteResult } from './leases';
import { completeRequest, decodeUpdate, eventsRequest, heartbeatRequest, registerRequest } from '../wire/protocol';

export interface WorkerRouteDeps {
  dispatcher: HostDispatcher;
  bodyLimit: number;
}

const refusalStatus: Record<RemoteRefusal, number> = { session_unknown: 404, lease_lost: 410, run_ended: 409, out_of_order: 409 };

/** Answers a result: its value as JSON, or its refusal with the status the protocol gives it. */
function answer<T>(res: ServerResponse, result: RemoteResult<T>, body: (value: T) => unknown): void {
  if (result.ok) sendJson(res, 200, body(result.value));
  else sendError(res, refusalStatus[result.refusal], result.refusal, result.message);
}

/** The host's side of the remote worker protocol (see ./protocol). */
export function addWorkerRoutes(router: Router, { dispatcher, bodyLimit }: WorkerRouteDeps): void {
  router.add('POST', '/workers/register', async (req, res) => {
    sendJson(res, 200, dispatcher.register(await readBodyAs(req, bodyLimit, registerRequest)));
  });

  router.add('POST', '/workers/sessions/{session}/claim', async (req, res, params) => {
    await readBody(req, bodyLimit);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const claim = dispatcher.claim(params.session!, gone.signal);
    if (!claim.ok) return answer(res, claim, () => ({}));
    const assignment = await claim.value;
    if (res.destroyed) return;
    if (!assignment) {
      res.writeHead(204);
      res.end();
      return;
    }
    sendJson(res, 200, assignment);
  });

  router.add('POST', '/workers/sessions/{session}/heartbeat', async (req, res, params) => {
    const body = await readBodyAs(req, bodyLimit, heartbeatRequest);
    answer(res, dispatcher.heartbeat(params.session!, body.leases), (v) => v);
  });

  router.add('POST', '/workers/sessions/{session}/leases/{lease}/events', async (req, res, params) => {
    const body = await readBodyAs(req, bodyLimit, eventsRequest);
    let updates;
    try {
      updates = body.updates.map(decodeUpdate);
    } catch (err) {
      throw badRequest(`Invalid update: ${(err as Error).message}.`);
    }
    answer(res, await dispatcher.report(params.session!, params.lease!, body.seq, updates), (applied) => ({ applied }));
  });

  router.add('POST', '/workers/sessions/{session}/leases/{lease}/complete', async (req, res, params) => {
    const body = await readBodyAs(req, bodyLimit, completeRequest);
    answer(res, await dispatcher.complete(params.session!, params.lease!, body.error), () => ({}));
  });
}
