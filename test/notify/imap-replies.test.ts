import { Role, TaskState } from '@a2a-js/sdk';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Host } from '../../main/host/host';
import { artifactText } from '../../main/tasks/task-text';
import { startDovecot, type Dovecot } from './dovecot';
import { fixtureReply } from './fixtures';
import { startSmtpServer, type SmtpTestServer } from './smtp-server';
import { ME, auditOf, eventually, plainReply, runTask, startEmailHost, taskCount, tokenFor } from './support';

let dovecot: Dovecot;
beforeAll(async () => {
  dovecot = await startDovecot();
});
afterAll(async () => {
  await dovecot?.stop();
});

/** A host whose watcher reads `mailbox` (a Dovecot user of its own per test), connected before it returns. */
async function hostWithImap(smtp: SmtpTestServer, mailbox: string, imap: Record<string, unknown> = {}): Promise<Host> {
  const host = await startEmailHost({
    smtpPort: smtp.port,
    email: { imap: { host: dovecot.host, port: dovecot.port, tls: 'none', user: mailbox, password: dovecot.password, ...imap } },
  });
  await eventually(() => ['idle', 'polling'].includes(host.email.watcher!.status().state), 10_000, 'the IMAP watcher to connect');
  return host;
}

async function mailSmtp(): Promise<SmtpTestServer> {
  const smtp = await startSmtpServer();
  onTestFinished(() => smtp.stop());
  return smtp;
}

describe('replies through IMAP', () => {
  it('answers an input-required task within seconds (IDLE); the agent goes on; the same reply again runs once', async () => {
    const smtp = await mailSmtp();
    const host = await hostWithImap(smtp, 'idle@example.com');
    expect(host.email.watcher!.status().state).toBe('idle');

    const asked = await runTask(host, 'Migrate the users table', { agent: 'asker' });
    await smtp.until(() => smtp.delivered.length === 1);
    const question = smtp.delivered[0]!.mail;
    const replyTo = question.replyTo!.value[0]!.address!;
    const raw = fixtureReply('gmail', { to: replyTo, messageId: '<CAGmail-1@mail.gmail.com>', inReplyTo: question.messageId!, subject: question.subject! });

    const appendedAt = Date.now();
    await dovecot.append('idle@example.com', raw);
    const done = await eventually(() => {
      const t = host.tasks.get(asked.id, { includeArtifacts: true });
      return t.status?.state === TaskState.TASK_STATE_COMPLETED && t;
    }, 10_000, 'the task to complete');
    const latencyMs = Date.now() - appendedAt;
    expect(latencyMs).toBeLessThan(5000);
    expect(artifactText(done)).toBe('Migrated to Use the staging database, not production.\n\nThanks!.');
    const answer = done.history.filter((m) => m.role === Role.ROLE_USER).at(-1)!;
    expect(answer.metadata).toMatchObject({ email: { messageId: '<CAGmail-1@mail.gmail.com>', from: ME } });
    expect(auditOf(host, '<CAGmail-1@mail.gmail.com>')).toEqual([
      { action: 'email.reply.accepted', detail: expect.objectContaining({ via: 'imap', taskId: asked.id, answered: true }) },
    ]);
    // The completed task mails too, threaded under the question.
    await smtp.until(() => smtp.delivered.length === 2);
    expect(smtp.delivered[1]!.mail.inReplyTo).toBe(question.messageId);

    const tasksBefore = taskCount(host);
    await dovecot.append('idle@example.com', raw);
    // The watcher has read the copy (UID 2) once its cursor passes it.
    await eventually(() => (host.db.prepare('SELECT last_uid FROM email_imap_cursor').get() as { last_uid: number }).last_uid === 2, 10_000, 'the copy to be read');
    expect(taskCount(host)).toBe(tasksBefore);
    expect(host.tasks.get(asked.id).history.filter((m) => m.role === Role.ROLE_USER)).toHaveLength(2);
    expect(auditOf(host, '<CAGmail-1@mail.gmail.com>')).toHaveLength(1);
    console.log(`IMAP IDLE: reply appended to task answered in ${latencyMs} ms`);
  });

  it('continues a finished session with [agent:] and [model:] from the subject (Outlook), then answers the new question (Apple Mail)', async () => {
    const smtp = await mailSmtp();
    const host = await hostWithImap(smtp, 'outlook@example.com');
    const first = await runTask(host, 'Plan the migration');
    await smtp.until(() => smtp.delivered.length === 1);
    const mail = smtp.delivered[0]!.mail;

    const outlook = fixtureReply('outlook', {
      to: mail.replyTo!.value[0]!.address!,
      messageId: '<DB9PR08MB6619@eurprd08.prod.outlook.com>',
      inReplyTo: mail.messageId!,
      subject: `[agent:asker] ${mail.subject} [model:big-model]`,
    });
    await dovecot.append('outlook@example.com', outlook);
    const next = await eventually(() => host.tasks.list({ contextId: first.contextId }).tasks.find((t) => t.id !== first.id), 10_000, 'a new task in the session');
    const asked = await host.tasks.settled(next.id);
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(asked.contextId).toBe(first.contextId);
    expect(asked.metadata).toEqual({ agent: 'asker', model: 'big-model' });
    expect(asked.history[0]!.parts[0]!.content).toEqual({ $case: 'text', value: 'Use port 5432 on the replica, please.' });

    await smtp.until(() => smtp.delivered.length === 2);
    const question = smtp.delivered[1]!.mail;
    expect(question.references).toEqual([`<ct.session.${first.contextId}@example.com>`, mail.messageId]);
    const apple = fixtureReply('apple-mail', { to: question.replyTo!.value[0]!.address!, messageId: '<A1B2C3D4@icloud.com>', inReplyTo: question.messageId!, subject: question.subject! });
    await dovecot.append('outlook@example.com', apple);
    const done = await eventually(() => {
      const t = host.tasks.get(asked.id);
      return t.status?.state === TaskState.TASK_STATE_COMPLETED && t;
    }, 10_000, 'the answered task to complete');
    expect(done.status?.message?.parts[0]?.content).toEqual({ $case: 'text', value: 'Using Go with PostgreSQL 16 and keep the old table for a week..' });
  });

  it('refuses a forged sender, a bad or expired token, failed DKIM/DMARC and an empty reply, logging each reason and creating no task', async () => {
    const smtp = await mailSmtp();
    const host = await hostWithImap(smtp, 'refuse@example.com');
    const asked = await runTask(host, 'Migrate the users table', { agent: 'asker' });
    await smtp.until(() => smtp.delivered.length === 1);
    const question = smtp.delivered[0]!.mail;
    const good = question.replyTo!.value[0]!.address!;
    const token = /\+ct\.([a-z2-7]+)@/.exec(good)![1]!;
    const tampered = good.replace(token, token.slice(0, 20) + (token[20] === 'a' ? 'b' : 'a') + token.slice(21));
    const expired = `me+ct.${tokenFor(host, asked.id, Date.now() - 60_000)}@example.com`;
    const base = { subject: `Re: ${question.subject}`, inReplyTo: question.messageId!, text: 'Use the staging database.' };
    const cases: [string, string, RegExp][] = [
      ['<forged@evil.test>', plainReply({ ...base, to: good, from: 'attacker@evil.test', messageId: '<forged@evil.test>' }), /^sender attacker@evil\.test is not one of the configured recipients$/],
      ['<tampered@example.com>', plainReply({ ...base, to: tampered, messageId: '<tampered@example.com>' }), /^reply token does not verify \(bad signature\)$/],
      ['<expired@example.com>', plainReply({ ...base, to: expired, messageId: '<expired@example.com>' }), /^reply address expired on /],
      [
        '<dkimfail@example.com>',
        plainReply({ ...base, to: good, messageId: '<dkimfail@example.com>', authResults: ['mx.example.com; dkim=fail header.d=example.com; dmarc=fail header.from=example.com'] }),
        /^authentication failed: mx\.example\.com says dkim=fail \(example\.com\), dmarc=fail \(example\.com\)/,
      ],
      ['<empty@example.com>', plainReply({ ...base, to: good, messageId: '<empty@example.com>', text: `\r\nOn Mon, Dec 7, 2026 at 10:02 AM CodeTether <${ME}> wrote:\r\n> Which database should I use?\r\n` }), /^the reply has no new text above the quoted mail$/],
    ];
    const tasksBefore = taskCount(host);
    for (const [, raw] of cases) await dovecot.append('refuse@example.com', raw);

    for (const [messageId, , reason] of cases) {
      const audit = await eventually(() => auditOf(host, messageId).length > 0 && auditOf(host, messageId), 10_000, `the refusal of ${messageId}`);
      expect(audit).toHaveLength(1);
      expect(audit[0]!.action).toBe('email.reply.refused');
      expect(audit[0]!.detail.reason).toMatch(reason);
      expect(host.db.prepare('SELECT state, reason FROM email_inbound WHERE message_id = ?').get(messageId)).toEqual({ state: 'refused', reason: audit[0]!.detail.reason });
    }
    expect(taskCount(host)).toBe(tasksBefore);
    expect(host.tasks.get(asked.id).status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);

    // The sender passed the checks for the expired and the empty reply, so only they hear back.
    await smtp.until(() => smtp.delivered.length === 3);
    const notices = smtp.delivered.slice(1).map((d) => d.mail);
    expect(notices.map((n) => n.inReplyTo).sort()).toEqual(['<empty@example.com>', '<expired@example.com>']);
    expect(notices.find((n) => n.inReplyTo === '<empty@example.com>')!.text).toContain('Your reply had no text of its own above the quoted mail');
    expect(notices.find((n) => n.inReplyTo === '<expired@example.com>')!.text).toContain('expired');
    expect(notices.every((n) => n.to && !Array.isArray(n.to) && n.to.value[0]!.address === ME)).toBe(true);
  });

  it('polls when IDLE is off, and reads mail that came while the host was down after a restart', async () => {
    const smtp = await mailSmtp();
    const host = await hostWithImap(smtp, 'poll@example.com', { idle: false, pollSeconds: 1 });
    expect(host.email.watcher!.status().state).toBe('polling');
    const asked = await runTask(host, 'Pick a database', { agent: 'asker' });
    await smtp.until(() => smtp.delivered.length === 1);
    const question = smtp.delivered[0]!.mail;
    const to = question.replyTo!.value[0]!.address!;
    await dovecot.append('poll@example.com', plainReply({ to, subject: `Re: ${question.subject}`, messageId: '<poll-1@example.com>', inReplyTo: question.messageId!, text: 'SQLite is fine.' }));
    const answered = await eventually(() => host.tasks.get(asked.id).status?.state === TaskState.TASK_STATE_COMPLETED, 5000, 'the polled reply');
    expect(answered).toBe(true);

    const second = await runTask(host, 'Pick a cache', { agent: 'asker' });
    await smtp.until(() => smtp.delivered.length === 3);
    const q2 = smtp.delivered.find((d) => d.mail.subject?.includes('Pick a cache'))!.mail;
    await host.stop();
    await dovecot.append('poll@example.com', plainReply({ to: q2.replyTo!.value[0]!.address!, subject: `Re: ${q2.subject}`, messageId: '<poll-2@example.com>', inReplyTo: q2.messageId!, text: 'Redis.' }));

    const again = await startEmailHost({
      smtpPort: smtp.port,
      dataDir: host.config.dataDir,
      email: { imap: { host: dovecot.host, port: dovecot.port, tls: 'none', user: 'poll@example.com', password: dovecot.password, idle: false, pollSeconds: 1 } },
    });
    const t = await eventually(() => {
      const task = again.tasks.get(second.id);
      return task.status?.state === TaskState.TASK_STATE_COMPLETED && task;
    }, 10_000, 'the reply sent while the host was down');
    expect(t.status?.message?.parts[0]?.content).toEqual({ $case: 'text', value: 'Using Redis..' });
  });
});
