import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { main } from '../../main/cli/main';
import { startDovecot } from '../notify/dovecot';
import { startSmtpServer } from '../notify/smtp-server';

/** Runs `codetether email test` with `email` as config.json's email section; returns exit code and output. */
async function emailTest(email: Record<string, unknown> | undefined, mode = 0o600, extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'codetether-email-cli-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify(email ? { email } : {}), { mode });
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['email', 'test', '--data-dir', join(dir, 'data'), '--config', config, ...extra], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const base = { host: '127.0.0.1', tls: 'none', from: 'CodeTether <me@example.com>', recipients: ['me@example.com'], timeoutMs: 3000 };

describe('codetether email test', () => {
  it('sends a test mail, logs in to IMAP, and says so step by step', async () => {
    const smtp = await startSmtpServer({ login: { user: 'me@example.com', pass: 'app-password' } });
    onTestFinished(() => smtp.stop());
    const dovecot = await startDovecot();
    onTestFinished(() => dovecot.stop());
    const result = await emailTest({
      ...base, port: smtp.port, user: 'me@example.com', password: 'app-password',
      imap: { host: dovecot.host, port: dovecot.port, tls: 'none', password: dovecot.password },
    });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('ok   SMTP server 127.0.0.1 resolves to 127.0.0.1.');
    expect(result.out).toContain(`ok   Connected to 127.0.0.1:${smtp.port} (no encryption), logged in as me@example.com.`);
    expect(result.out).toMatch(/ok {3}Test mail accepted for me@example\.com \(250 /);
    expect(result.out).toMatch(/ok {3}IMAP 127\.0\.0\.1:\d+: logged in as me@example\.com, INBOX has 0 messages; new mail arrives through IDLE\./);
    expect(smtp.delivered.map((d) => d.mail.subject)).toEqual(['[CodeTether] Test mail']);
  });

  it('names the step that failed: DNS, connection, TLS, authentication, rejection', async () => {
    const dns = await emailTest({ ...base, host: 'smtp.nonexistent.invalid', port: 25 });
    expect(dns.code).toBe(1);
    expect(dns.err).toMatch(/^FAIL DNS: cannot resolve smtp\.nonexistent\.invalid \(ENOTFOUND\)\.$/);

    const closed = await startSmtpServer();
    await closed.stop();
    const refused = await emailTest({ ...base, port: closed.port });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(new RegExp(`^FAIL Connection: cannot reach 127\\.0\\.0\\.1:${closed.port} \\(.*ECONNREFUSED`));

    const plain = await startSmtpServer({ login: { user: 'me@example.com', pass: 'right' }, refuse: ['nobody@example.com'] });
    onTestFinished(() => plain.stop());
    const tls = await emailTest({ ...base, port: plain.port, tls: 'tls' });
    expect(tls.err).toMatch(/^FAIL TLS: the secure connection to 127\.0\.0\.1:\d+ failed/);
    const starttls = await emailTest({ ...base, port: plain.port, tls: 'starttls' });
    expect(starttls.err).toMatch(/^FAIL TLS: .*STARTTLS/i);
    const auth = await emailTest({ ...base, port: plain.port, user: 'me@example.com', password: 'wrong' });
    expect(auth.err).toMatch(/^FAIL Authentication: 127\.0\.0\.1:\d+ refused the login of me@example\.com \(.*535/);
    const rejected = await emailTest({ ...base, port: plain.port, user: 'me@example.com', password: 'right' }, 0o600, ['--to', 'nobody@example.com']);
    expect(rejected.code).toBe(1);
    expect(rejected.out).toContain('ok   Connected to');
    expect(rejected.err).toMatch(/^FAIL Rejected: 127\.0\.0\.1:\d+ refused the mail \(.*550 Mailbox nobody@example\.com unavailable/);
  });

  it('refuses a password in a config file others can read, and says when there are no settings', async () => {
    const open = await emailTest({ ...base, port: 25, password: 'secret' }, 0o644);
    expect(open.code).toBe(1);
    expect(open.err).toMatch(/holds "email\.password" but other users may read it \(mode 0644\)\. Run "chmod 600 .*config\.json", or remove the key and set CODETETHER_EMAIL_PASSWORD instead\./);
    const none = await emailTest(undefined);
    expect(none.code).toBe(1);
    expect(none.err).toContain('No email settings: add an "email" section to config.json');
  });
});
