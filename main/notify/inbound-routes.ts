import busboy from 'busboy';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { readBody } from '../http/body';
import { HttpError } from '../http/errors';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { InboundHandler, InboundOutcome, InboundVia } from './inbound';

/** Replies carry attachments now and then; providers cap inbound mail near 25 MB. */
const INBOUND_LIMIT = 25 * 1024 * 1024;
/** How old a signed request may be: a captured one cannot be replayed later. */
const MAX_SKEW_S = 300;

export const SIGNATURE_HEADER = 'x-codetether-signature';

export interface InboundRouteDeps {
  /** Undefined while email is not configured: the routes answer 404 and say so. */
  handler?: Pick<InboundHandler, 'handle'>;
  webhookSecret?: string;
  mailgunSigningKey?: string;
  now?: () => number;
}

const rawSignature = z.string().regex(/^t=(\d{1,12}),sha256=([0-9a-f]{64})$/, 'expected "t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<body>">"');

const mailgunForm = z.object({
  timestamp: z.string().regex(/^\d{1,12}$/, 'timestamp must be unix seconds'),
  token: z.string().min(1).max(200),
  signature: z.string().regex(/^[0-9a-f]{64}$/, 'signature must be 64 hex digits'),
  'body-mime': z.string().min(1, 'body-mime is empty'),
  recipient: z.string().optional(),
});

function hmacHex(key: string, text: string | Buffer): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

function fresh(t: number, now: number): boolean {
  return Math.abs(now / 1000 - t) <= MAX_SKEW_S;
}

/** The raw-MIME webhook's signature: what a sender (a mail server hook, a script) computes with the shared secret. */
export function signRawInbound(secret: string, body: Buffer, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},sha256=${hmacHex(secret, Buffer.concat([Buffer.from(`${t}.`), body]))}`;
}

/** multipart/form-data or urlencoded fields (Mailgun sends either), file parts read as text. */
function formFields(req: IncomingMessage, body: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fieldSize: INBOUND_LIMIT, fields: 200, files: 50 } });
    } catch (err) {
      return reject(new HttpError(415, 'unsupported_media_type', `Expected multipart/form-data or application/x-www-form-urlencoded: ${(err as Error).message}.`));
    }
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (name === 'body-mime') fields[name] = Buffer.concat(chunks).toString('utf8');
      });
    });
    parser.on('close', () => resolve(fields));
    parser.on('error', (err: Error) => reject(new HttpError(400, 'bad_request', `Could not read the form: ${err.message}.`)));
    parser.end(body);
  });
}

function answer(outcome: InboundOutcome) {
  return outcome.outcome === 'accepted'
    ? { outcome: outcome.outcome, taskId: outcome.taskId, answered: outcome.answered }
    : outcome.outcome === 'duplicate'
      ? { outcome: outcome.outcome, earlier: outcome.earlier }
      : { outcome: outcome.outcome, reason: outcome.reason };
}

function notConfigured(what: string): HttpError {
  return new HttpError(404, 'email_not_configured', `Inbound email is off: ${what}.`);
}

/**
 * Providers' inbound webhooks. `POST /email/inbound`: the raw MIME message as the body, signed
 * with `email.webhookSecret` (header X-CodeTether-Signature). `POST /email/inbound/mailgun/mime`:
 * a Mailgun route forwarding to a URL that ends in "mime" (Mailgun then posts the message whole
 * as body-mime), checked with Mailgun's signing key. Both public to the guard, as a provider holds
 * no token of ours; the signature is their credential, and the reply inside still has to pass
 * every check of the inbound handler. A refused reply is answered 200: it was received and
 * decided, so the provider must not send it again.
 */
export function addInboundRoutes(router: Router, deps: InboundRouteDeps): void {
  const now = deps.now ?? Date.now;

  async function run(raw: Buffer, via: InboundVia, recipients: string[]): Promise<InboundOutcome> {
    try {
      return await deps.handler!.handle(raw, via, recipients);
    } catch (err) {
      throw new HttpError(503, 'try_again', `The reply could not be handled now (${(err as Error).message}); send it again.`);
    }
  }

  router.add('POST', '/email/inbound', async (req, res) => {
    if (!deps.handler || !deps.webhookSecret) throw notConfigured('set email.webhookSecret to accept raw MIME here');
    const header = rawSignature.safeParse(req.headers[SIGNATURE_HEADER]);
    if (!header.success) throw new HttpError(401, 'invalid_signature', `Header X-CodeTether-Signature is missing or malformed: ${header.error.issues[0]!.message}.`);
    const body = await readBody(req, INBOUND_LIMIT);
    const [, t, mac] = /^t=(\d+),sha256=([0-9a-f]+)$/.exec(header.data)!;
    const expected = hmacHex(deps.webhookSecret, Buffer.concat([Buffer.from(`${t}.`), body]));
    if (!sameHex(mac!, expected)) throw new HttpError(401, 'invalid_signature', 'X-CodeTether-Signature does not match the body (HMAC-SHA256 of "<t>.<body>" with email.webhookSecret).');
    if (!fresh(Number(t), now())) throw new HttpError(401, 'stale_signature', `The signature's time t=${t} is more than ${MAX_SKEW_S} s from the host's clock.`);
    if (body.length === 0) throw new HttpError(400, 'invalid_request', 'The body must be the raw MIME message.');
    sendJson(res, 200, answer(await run(body, 'webhook', [])));
  });

  router.add('POST', '/email/inbound/mailgun/mime', async (req, res) => {
    if (!deps.handler || !deps.mailgunSigningKey) throw notConfigured('set email.mailgunSigningKey to accept Mailgun routes here');
    const body = await readBody(req, INBOUND_LIMIT);
    const fields = await formFields(req, body);
    const signed = mailgunForm.pick({ timestamp: true, token: true, signature: true }).safeParse(fields);
    if (!signed.success) throw new HttpError(401, 'invalid_signature', `Mailgun signature fields: ${signed.error.issues[0]!.path.join('.')} ${signed.error.issues[0]!.message}.`);
    const { timestamp, token, signature } = signed.data;
    if (!sameHex(signature, hmacHex(deps.mailgunSigningKey, timestamp + token))) {
      throw new HttpError(401, 'invalid_signature', 'The Mailgun signature does not verify with email.mailgunSigningKey.');
    }
    if (!fresh(Number(timestamp), now())) throw new HttpError(401, 'stale_signature', `The Mailgun timestamp ${timestamp} is more than ${MAX_SKEW_S} s from the host's clock.`);
    const form = mailgunForm.safeParse(fields);
    // 406: Mailgun does not retry it. A route without "mime" at the end of its URL posts parsed fields instead.
    if (!form.success) throw new HttpError(406, 'not_acceptable', `No usable body-mime field (${form.error.issues[0]!.message}): the route's forward URL must end in /mime.`);
    const recipients = form.data.recipient ? form.data.recipient.split(',').map((r) => r.trim()) : [];
    sendJson(res, 200, answer(await run(Buffer.from(form.data['body-mime'], 'utf8'), 'mailgun', recipients)));
  });
}
