import { request as httpRequest, type Agent, type RequestOptions } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { TargetPolicy } from './target-policy';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface WebhookClient {
  policy: TargetPolicy;
  /** The service's own connection pools, so stopping it can close every socket it opened. */
  agents: { http: Agent; https: HttpsAgent };
}

/** `refused`: the target policy turned the URL or the address its host resolved to away; `status`: the receiver's answer, when it gave one. */
export type WebhookResult = { ok: true; status: number } | { ok: false; error: string; refused?: boolean; status?: number };

/**
 * A connect-time lookup that resolves through the policy, so the address that is checked is the
 * address that is dialled: a name cannot pass the check and then rebind to an internal address.
 */
function checkedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    policy.resolveHost(hostname).then(
      (result) => {
        if (!result.ok) {
          const err = Object.assign(new Error(`refused push target: ${result.reason}`), { code: 'EPUSHTARGET' });
          return options.all ? callback(err, []) : callback(err, '', 0);
        }
        const wanted = options.family === 4 || options.family === 6 ? result.addresses.filter((a) => a.family === options.family) : result.addresses;
        const usable: LookupAddress[] = wanted.length ? wanted : result.addresses;
        if (options.all) return callback(null, usable);
        callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: Error) => (options.all ? callback(err, []) : callback(err, '', 0)),
    );
  };
}

/** POSTs once. Any 2xx is delivered; everything else (status, refusal, network, timeout) is an error to retry. */
export function sendWebhook(req: WebhookRequest, client: WebhookClient, signal?: AbortSignal): Promise<WebhookResult> {
  const target = client.policy.checkUrl(req.url);
  if (!target.ok) return Promise.resolve({ ok: false, error: `refused push target: ${target.reason}`, refused: true });
  const url = target.url!;
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
    lookup: checkedLookup(client.policy),
    agent: url.protocol === 'https:' ? client.agents.https : client.agents.http,
    timeout: req.timeoutMs,
    signal,
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: WebhookResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    // `timeout` above only covers idle sockets; this bounds the whole exchange.
    const deadline = setTimeout(() => {
      finish({ ok: false, error: `no answer within ${req.timeoutMs} ms` });
      outgoing.destroy();
    }, req.timeoutMs);
    const outgoing = send(url, options, (res) => {
      const status = res.statusCode ?? 0;
      // The receiver's answer is not used; read it to the end so the socket is released.
      res.resume();
      res.on('end', () => finish(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, error: `HTTP ${status}`, status }));
      res.on('error', (err) => finish({ ok: false, error: err.message }));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    outgoing.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, error: err.message, refused: err.code === 'EPUSHTARGET' }));
    outgoing.end(req.body);
  });
}
