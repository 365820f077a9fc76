import { createHmac } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { signRawInbound } from '../../main/notify/inbound-routes';
import { fixtureReply } from './fixtures';
import { startSmtpServer } from './smtp-server';
import { auditOf, runTask, startEmailHost, taskCount } from './support';

const SECRET = 'raw-webhook-secret-0123456789';
const MAILGUN_KEY = 'key-mailgun-signing-0123';

async function setup() {
  const smtp = await startSmtpServer();
  onTestFinished(() => smtp.stop());
  const host = await startEmailHost({ smtpPort: smtp.port, email: { webhookSecret: SECRET, mailgunSigningKey: MAILGUN_KEY } });
  const base = new URL(host.urls.health).origin;
  const asked = await runTask(host, 'Migrate the users table', { agent: 'asker' });
  await smtp.until(() => smtp.delivered.length === 1);
  const question = smtp.delivered[0]!.mail;
  return { host, base, asked, question, to: question.replyTo!.value[0]!.address! };
}

function postRaw(base: string, body: string, signature?: string) {
  const headers: Record<string, string> = { 'content-type': 'message/rfc822' };
  if (signature !== undefined) headers['x-codetether-signature'] = signature;
  return fetch(`${base}/email/inbound`, { method: 'POST', headers, body });
}

function mailgunForm(fields: Record<string, string>, key = MAILGUN_KEY, timestamp = String(Math.floor(Date.now() / 1000))): FormData {
  const token = 'a'.repeat(50);
  const form = new FormData();
  form.set('timestamp', timestamp);
  form.set('token', token);
  form.set('signature', createHmac('sha256', key).update(timestamp + token).digest('hex'));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

describe('inbound webhooks', () => {
  it('takes a signed raw MIME reply once, and refuses unsigned, mis-signed and stale requests', async () => {
    const { host, base, asked, question, to } = await setup();
    const raw = fixtureReply('outlook', { to, messageId: '<raw-1@outlook.com>', inReplyTo: question.messageId!, subject: question.subject! });
    const body = Buffer.from(raw);

    const unsigned = await postRaw(base, raw);
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: { message: string } }).error.message).toMatch(/X-CodeTether-Signature is missing/);
    const wrong = await postRaw(base, raw, signRawInbound('another-secret-0123456789', body));
    expect(wrong.status).toBe(401);
    const stale = await postRaw(base, raw, signRawInbound(SECRET, body, Date.now() - 10 * 60_000));
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('stale_signature');
    expect(host.db.prepare('SELECT count(*) AS n FROM email_inbound').get()).toEqual({ n: 0 });

    const ok = await postRaw(base, raw, signRawInbound(SECRET, body));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ outcome: 'accepted', taskId: asked.id, answered: true });
    const tasksAfter = taskCount(host);
    // A provider's retry of the same mail: received, not run again.
    const again = await postRaw(base, raw, signRawInbound(SECRET, body));
    expect(await again.json()).toEqual({ outcome: 'duplicate', earlier: 'accepted' });
    expect(taskCount(host)).toBe(tasksAfter);
    expect(auditOf(host, '<raw-1@outlook.com>').map((a) => a.action)).toEqual(['email.reply.accepted']);
  });

  it('takes a Mailgun route (URL ending in mime) with a valid signature; refuses a bad one; 406 without body-mime', async () => {
    const { host, base, asked, question, to } = await setup();
    const raw = fixtureReply('apple-mail', { to, messageId: '<mg-1@icloud.com>', inReplyTo: question.messageId!, subject: question.subject! });
    const url = `${base}/email/inbound/mailgun/mime`;

    const forged = await fetch(url, { method: 'POST', body: mailgunForm({ 'body-mime': raw, recipient: to }, 'not-the-key') });
    expect(forged.status).toBe(401);
    const parsedOnly = await fetch(url, { method: 'POST', body: mailgunForm({ 'body-plain': 'hi', recipient: to }) });
    expect(parsedOnly.status).toBe(406);

    const ok = await fetch(url, { method: 'POST', body: mailgunForm({ 'body-mime': raw, recipient: to }) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ outcome: 'accepted', taskId: asked.id, answered: true });
    const done = await host.tasks.settled(asked.id);
    expect(done.status?.message?.parts[0]?.content).toEqual({ $case: 'text', value: 'Using Go with PostgreSQL 16 and keep the old table for a week..' });

    // A refused reply is still a 200: Mailgun must not retry a decided mail.
    const forgedSender = raw.replace('From: Me Myself <me@example.com>', 'From: Mallory <mallory@evil.test>').replace('<mg-1@icloud.com>', '<mg-2@evil.test>');
    const refused = await fetch(url, { method: 'POST', body: mailgunForm({ 'body-mime': forgedSender, recipient: to }) });
    expect(refused.status).toBe(200);
    expect(await refused.json()).toEqual({ outcome: 'refused', reason: 'sender mallory@evil.test is not one of the configured recipients' });
  });

  it('answers 404 when no secret is configured for the route', async () => {
    const smtp = await startSmtpServer();
    onTestFinished(() => smtp.stop());
    const host = await startEmailHost({ smtpPort: smtp.port });
    const res = await fetch(`${new URL(host.urls.health).origin}/email/inbound`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('Inbound email is off: set email.webhookSecret to accept raw MIME here.');
  });
});
