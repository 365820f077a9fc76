import { describe, expect, it } from 'vitest';
import { generatePushSigningKey, signPush, verifyPushSignature } from '../../main/push/signature';
import { retryDelay } from '../../main/push/delivery-loop';

describe('push signatures', () => {
  const key = generatePushSigningKey();
  const body = '{"statusUpdate":{"taskId":"t"}}';

  it('verifies what was signed, and nothing else', () => {
    const header = signPush(key, 7, body);
    expect(verifyPushSignature({ header, body, publicKey: key.publicKey })).toMatchObject({ ok: true, seq: 7 });
    expect(verifyPushSignature({ header, body: Buffer.from(body), publicKey: key.publicKey }).ok).toBe(true);
    expect(verifyPushSignature({ header: header.replace('seq=7', 'seq=8'), body, publicKey: key.publicKey }).ok).toBe(false);
    expect(verifyPushSignature({ header, body, publicKey: generatePushSigningKey().publicKey }).ok).toBe(false);
    expect(verifyPushSignature({ header: undefined, body, publicKey: key.publicKey })).toMatchObject({ ok: false, reason: /missing/ });
    expect(verifyPushSignature({ header: 'v1=abc', body, publicKey: key.publicKey })).toMatchObject({ ok: false, reason: /malformed/ });
  });

  it('refuses a stale signature, which bounds replays', () => {
    const header = signPush(key, 1, body, Date.now() - 10 * 60_000);
    expect(verifyPushSignature({ header, body, publicKey: key.publicKey })).toMatchObject({ ok: false, reason: /outside/ });
    expect(verifyPushSignature({ header, body, publicKey: key.publicKey, toleranceSeconds: 3600 }).ok).toBe(true);
  });
});

describe('retry delays', () => {
  it('double per attempt, with jitter of at most half, and stop at the cap', () => {
    const config = { baseDelayMs: 100, maxDelayMs: 1000 };
    for (let i = 0; i < 50; i++) {
      const [a, b, c, d] = [1, 2, 3, 10].map((n) => retryDelay(n, config));
      expect(a).toBeGreaterThanOrEqual(50);
      expect(a).toBeLessThanOrEqual(100);
      expect(b).toBeGreaterThanOrEqual(100);
      expect(b).toBeLessThanOrEqual(200);
      expect(c).toBeGreaterThanOrEqual(200);
      expect(c).toBeLessThanOrEqual(400);
      expect(d).toBeGreaterThanOrEqual(500);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });
});
