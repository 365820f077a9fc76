import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Reply tokens: `<task id><expiry><mac>` in base32, carried in a plus-address. The task names the
 * session (its context) and the task a reply may answer. Base32 because mail systems may change
 * the case of a local part; 28 bytes make 45 characters, short enough that `name+ct.<token>` fits
 * the 64 characters RFC 5321 allows a local part for names up to 15 characters.
 */
const MAC_BYTES = 8;
const TOKEN_BYTES = 16 + 4 + MAC_BYTES;
const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
const purpose = Buffer.from('codetether-reply-v1');

export type TokenCheck =
  | { ok: true; taskId: string; expiresAt: number }
  | { ok: false; reason: 'malformed' | 'bad-signature' }
  | { ok: false; reason: 'expired'; taskId: string; expiresAt: number };

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Buffer | undefined {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toLowerCase()) {
    const digit = alphabet.indexOf(char);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

function uuidBytes(id: string): Buffer {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`Task id ${id} is not a UUID; it cannot go into a reply token.`);
  return Buffer.from(hex, 'hex');
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function mac(key: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', key).update(purpose).update(body).digest().subarray(0, MAC_BYTES);
}

/** A token for replies about `taskId`, valid until `expiresAt` (ms; kept to the second). */
export function signReplyToken(key: Buffer, taskId: string, expiresAt: number): string {
  const body = Buffer.alloc(20);
  uuidBytes(taskId).copy(body, 0);
  body.writeUInt32BE(Math.floor(expiresAt / 1000), 16);
  return base32(Buffer.concat([body, mac(key, body)]));
}

export function verifyReplyToken(key: Buffer, token: string, now = Date.now()): TokenCheck {
  const bytes = fromBase32(token);
  if (!bytes || bytes.length !== TOKEN_BYTES || base32(bytes) !== token.toLowerCase()) return { ok: false, reason: 'malformed' };
  const body = bytes.subarray(0, 20);
  if (!timingSafeEqual(mac(key, body), bytes.subarray(20))) return { ok: false, reason: 'bad-signature' };
  const taskId = uuidText(body.subarray(0, 16));
  const expiresAt = body.readUInt32BE(16) * 1000;
  if (expiresAt <= now) return { ok: false, reason: 'expired', taskId, expiresAt };
  return { ok: true, taskId, expiresAt };
}
