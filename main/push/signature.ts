import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** The header that carries a notification's signature. */
export const SIGNATURE_HEADER = 'X-CodeTether-Signature';

export interface PushSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generatePushSigningKey(): PushSigningKey {
  return generateKeyPairSync('ed25519');
}

/** What is signed: the timestamp and seq bind the body to one moment and one place in the task's log. */
function signedText(timestamp: number, seq: number, body: string): Buffer {
  return Buffer.from(`${timestamp}.${seq}.${body}`, 'utf8');
}

/** The header value `t=<unix seconds>,seq=<event seq>,ed25519=<base64url signature>`. */
export function signPush(key: PushSigningKey, seq: number, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  const signature = sign(null, signedText(t, seq, body), key.privateKey).toString('base64url');
  return `t=${t},seq=${seq},ed25519=${signature}`;
}

export type VerifyPushResult = { ok: true; timestamp: number; seq: number } | { ok: false; reason: string };

export interface VerifyPushInput {
  /** The X-CodeTether-Signature header as received. */
  header: string | undefined;
  /** The raw request body, exactly as received (before any JSON parsing). */
  body: string | Buffer;
  /** The host's public key: a KeyObject, or the PEM text served at /.well-known/codetether-push-key. */
  publicKey: KeyObject | string;
  /** Oldest accepted signature age, in seconds (default 300), which bounds replays. */
  toleranceSeconds?: number;
  now?: number;
}

/** Checks a push notification the way a receiver should: signature over t, seq and the exact body, and freshness. */
export function verifyPushSignature(input: VerifyPushInput): VerifyPushResult {
  if (!input.header) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  const fields = new Map<string, string>();
  for (const part of input.header.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const t = Number(fields.get('t'));
  const seq = Number(fields.get('seq'));
  const signature = fields.get('ed25519');
  if (!Number.isSafeInteger(t) || !Number.isSafeInteger(seq) || !signature) {
    return { ok: false, reason: 'malformed signature header: expected t=<unix>,seq=<n>,ed25519=<base64url>' };
  }
  const tolerance = input.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - t) > tolerance) return { ok: false, reason: `signature timestamp ${t} is outside the ${tolerance} s window` };
  const key = typeof input.publicKey === 'string' ? createPublicKey(input.publicKey) : input.publicKey;
  const body = typeof input.body === 'string' ? input.body : input.body.toString('utf8');
  const valid = verify(null, signedText(t, seq, body), key, Buffer.from(signature, 'base64url'));
  return valid ? { ok: true, timestamp: t, seq } : { ok: false, reason: 'signature does not match the body' };
}
