import { lookup } from 'node:dns/promises';
import { ImapFlow } from 'imapflow';
import type { EmailConfig } from '../base/config-schema';
import { createSmtpSender, smtpPort, type SmtpStage } from './smtp';
import { describeImapError, imapOptions, imapPort } from './imap-watcher';

export type TestStep = 'smtp-dns' | 'smtp-login' | 'send' | 'imap-dns' | 'imap-login';

export interface TestStepResult {
  step: TestStep;
  ok: boolean;
  message: string;
  /** For a failed SMTP step: which part of it failed. */
  stage?: SmtpStage;
}

export interface EmailTestReport {
  ok: boolean;
  steps: TestStepResult[];
}

async function resolves(host: string, step: TestStep, what: string): Promise<TestStepResult> {
  try {
    const { address } = await lookup(host);
    return { step, ok: true, message: `${what} ${host} resolves to ${address}.` };
  } catch (err) {
    return { step, ok: false, stage: 'dns', message: `DNS: cannot resolve ${host} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).` };
  }
}

const tlsName: Record<EmailConfig['tls'], string> = { tls: 'TLS', starttls: 'STARTTLS', none: 'no encryption' };

/**
 * `codetether email test` and the Settings test button: resolves the SMTP host, connects and logs
 * in, sends a test mail to `to` (default: the recipients), then does the same for IMAP when it is
 * configured. Stops at the first SMTP step that fails and says which one: DNS, connection, TLS,
 * authentication, or the server refusing the mail.
 */
export async function testEmail(email: EmailConfig, to: string[] = email.recipients): Promise<EmailTestReport> {
  const steps: TestStepResult[] = [];
  const done = () => ({ ok: steps.every((s) => s.ok), steps });
  steps.push(await resolves(email.host, 'smtp-dns', 'SMTP server'));
  if (!steps.at(-1)!.ok) return done();
  const sender = createSmtpSender(email);
  try {
    const login = await sender.verify();
    steps.push(
      login.ok
        ? { step: 'smtp-login', ok: true, message: `Connected to ${email.host}:${smtpPort(email)} (${tlsName[email.tls]})${email.user ? `, logged in as ${email.user}` : ''}.` }
        : { step: 'smtp-login', ok: false, stage: login.failure.stage, message: login.failure.message },
    );
    if (!login.ok) return done();
    const sent = await sender.send({
      to,
      subject: '[CodeTether] Test mail',
      text: 'This is a test mail from CodeTether: task notifications will come like this one.\n',
      messageId: `<ct.test.${Date.now()}.${Math.random().toString(36).slice(2)}@${email.host}>`,
    });
    steps.push(
      sent.ok
        ? { step: 'send', ok: true, message: `Test mail accepted for ${sent.accepted.join(', ') || to.join(', ')} (${sent.response}).` }
        : { step: 'send', ok: false, stage: sent.failure.stage, message: sent.failure.message },
    );
  } finally {
    sender.close();
  }
  if (email.imap) {
    steps.push(await resolves(email.imap.host, 'imap-dns', 'IMAP server'));
    if (steps.at(-1)!.ok) steps.push(await testImap(email));
  }
  return done();
}

async function testImap(email: EmailConfig): Promise<TestStepResult> {
  const imap = email.imap!;
  const user = imap.user ?? email.user;
  const client = new ImapFlow({ ...imapOptions(imap, user, imap.password ?? email.password), disableAutoIdle: true });
  client.on('error', () => {});
  try {
    await client.connect();
    const box = await client.mailboxOpen(imap.mailbox, { readOnly: true });
    const idle = client.capabilities.has('IDLE');
    return {
      step: 'imap-login',
      ok: true,
      message: `IMAP ${imap.host}:${imapPort(imap)}: logged in as ${user}, ${imap.mailbox} has ${box.exists} messages; ${idle && imap.idle ? 'new mail arrives through IDLE' : `polled every ${imap.pollSeconds} s`}.`,
    };
  } catch (err) {
    return { step: 'imap-login', ok: false, message: describeImapError(err, imap, user) };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
