import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { judgeAuthResults, parseAuthResults } from '../../main/notify/auth-results';
import { newReplyText, subjectTags, subjectText } from '../../main/notify/reply-text';
import { signReplyToken, verifyReplyToken } from '../../main/notify/reply-token';
import { replyAddress, tokenIn } from '../../main/notify/addresses';
import { fixtureReply, replyFixtures, type FixtureName } from './fixtures';

describe('quoted-reply stripping', () => {
  for (const name of Object.keys(replyFixtures) as FixtureName[]) {
    it(`reduces a ${name}-style reply to the new text`, async () => {
      const raw = fixtureReply(name, { to: 'me+ct.x@example.com', messageId: '<r@example.com>', inReplyTo: '<ct.t.3@example.com>', subject: '[CodeTether] Migrate the users table (needs your input)' });
      const mail = await simpleParser(raw);
      expect(newReplyText(mail.text ?? '')).toBe(replyFixtures[name]);
    });
  }

  it('leaves nothing of a reply that only quotes', () => {
    expect(newReplyText('\n\nOn Mon, Dec 7, 2026 at 10:02 AM CodeTether <me@example.com> wrote:\n> Which database?\n')).toBe('');
    expect(newReplyText('> quoted only\n> more\n')).toBe('');
  });

  it('reads [model:] and [agent:] tags from the subject and drops them and the Re: prefix from its text', () => {
    const subject = 'Re: [agent:opencode] [CodeTether] Fix it (completed) [model:openai/gpt-4.1]';
    expect(subjectTags(subject)).toEqual({ agent: 'opencode', model: 'openai/gpt-4.1' });
    expect(subjectText(subject)).toBe('[CodeTether] Fix it (completed)');
    expect(subjectTags('RE: no tags here')).toEqual({});
  });
});

describe('reply tokens', () => {
  const key = Buffer.alloc(32, 7);
  const taskId = '0194a3b2-7c1d-7e2f-8a3b-4c5d6e7f8091';

  it('round-trips in a plus-address that fits the 64-character local part', () => {
    const token = signReplyToken(key, taskId, Date.now() + 60_000);
    expect(token).toMatch(/^[a-z2-7]{45}$/);
    const address = replyAddress('firstname.last@example.com', token);
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(tokenIn(['Someone <other@example.com>', address.toUpperCase()])).toBe(token);
    expect(verifyReplyToken(key, token)).toMatchObject({ ok: true, taskId });
  });

  it('refuses a changed, foreign-key, truncated or expired token', () => {
    const token = signReplyToken(key, taskId, Date.now() + 60_000);
    const flipped = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    expect(verifyReplyToken(key, flipped)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyReplyToken(Buffer.alloc(32, 8), token)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyReplyToken(key, token.slice(0, 40))).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyReplyToken(key, 'not+base32!')).toEqual({ ok: false, reason: 'malformed' });
    const old = signReplyToken(key, taskId, Date.now() - 1000);
    expect(verifyReplyToken(key, old)).toMatchObject({ ok: false, reason: 'expired', taskId });
  });
});

describe('Authentication-Results', () => {
  const gmail =
    'mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=20230601 header.b=Xq9s7Bz1;\r\n       spf=pass (google.com: domain of me@example.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=me@example.com;\r\n       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=example.com';

  it('parses methods, results and properties, comments removed', () => {
    const parsed = parseAuthResults(gmail);
    expect(parsed.authServId).toBe('mx.google.com');
    expect(parsed.results.map((r) => `${r.method}=${r.result}`)).toEqual(['dkim=pass', 'spf=pass', 'dmarc=pass']);
    expect(parsed.results[0]!.props['header.i']).toBe('@example.com');
    expect(parsed.results[2]!.props['header.from']).toBe('example.com');
  });

  it('passes DMARC or aligned DKIM, refuses fails and passes for other domains', () => {
    expect(judgeAuthResults([gmail], 'example.com', 'when-present')).toMatchObject({ ok: true });
    expect(judgeAuthResults(['mx.example.com; dkim=pass header.d=mail.example.com'], 'example.com', 'when-present')).toMatchObject({ ok: true });
    const fail = judgeAuthResults(['mx.example.com; dkim=fail header.d=example.com; dmarc=fail header.from=example.com'], 'example.com', 'when-present');
    expect(fail).toEqual({ ok: false, reason: 'mx.example.com says dkim=fail (example.com), dmarc=fail (example.com): neither DKIM nor DMARC passed for example.com' });
    expect(judgeAuthResults(['mx.example.com; dkim=pass header.d=attacker.test'], 'example.com', 'when-present')).toMatchObject({ ok: false });
    expect(judgeAuthResults(['mx.example.com; dkim=pass header.d=com'], 'example.com', 'when-present')).toMatchObject({ ok: false });
  });

  it('trusts only the topmost header, or the configured server', () => {
    const forgedBelow = ['mx.example.com; dkim=fail header.d=example.com', 'mx.example.com; dkim=pass header.d=example.com'];
    expect(judgeAuthResults(forgedBelow, 'example.com', 'when-present')).toMatchObject({ ok: false });
    const other = ['evil.test; dkim=pass header.d=example.com', 'mx.example.com; dmarc=fail header.from=example.com'];
    expect(judgeAuthResults(other, 'example.com', 'when-present', 'mx.example.com')).toMatchObject({ ok: false });
  });

  it('applies the strictness: off, when-present, required', () => {
    expect(judgeAuthResults([], 'example.com', 'when-present')).toMatchObject({ ok: true });
    expect(judgeAuthResults(['mx.example.com; spf=pass smtp.mailfrom=example.com'], 'example.com', 'when-present')).toMatchObject({ ok: true });
    expect(judgeAuthResults([], 'example.com', 'required')).toEqual({ ok: false, reason: 'no Authentication-Results with a DKIM or DMARC result, and authResults is "required"' });
    expect(judgeAuthResults(['mx.example.com; dmarc=fail'], 'example.com', 'off')).toMatchObject({ ok: true });
  });
});
