import { TaskState } from '@a2a-js/sdk';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { tempDir } from '../support/temp-dir';
import { startSmtpServer } from './smtp-server';
import { ME, eventually, runTask, startEmailHost } from './support';

const tokenAddress = /^me\+ct\.[a-z2-7]{45}@example\.com$/;

describe('email notifications', () => {
  it('mails completed, failed and input-required tasks with threading headers, text and HTML', async () => {
    const smtp = await startSmtpServer();
    onTestFinished(() => smtp.stop());
    const host = await startEmailHost({ smtpPort: smtp.port, config: { publicUrl: 'https://ct.example.com' } });

    const done = await runTask(host, 'Summarize the repository\nin three lines');
    await smtp.until(() => smtp.delivered.length === 1);
    const first = smtp.delivered[0]!;
    expect(first.to).toEqual([ME]);
    expect(first.mail.subject).toBe('[CodeTether] Summarize the repository (completed)');
    expect(first.mail.from?.value[0]).toMatchObject({ name: 'CodeTether', address: ME });
    expect(first.mail.replyTo?.value[0]?.address).toMatch(tokenAddress);
    const root = `<ct.session.${done.contextId}@example.com>`;
    expect(first.mail.messageId).toMatch(new RegExp(`^<ct\\.${done.id}\\.\\d+@example\\.com>$`));
    expect(first.mail.inReplyTo).toBe(root);
    expect(first.mail.references).toBe(root);
    expect(first.mail.text).toContain('The agent says:\nSummarize the repository\nin three lines');
    expect(first.mail.text).toContain(`Open the task: https://ct.example.com/#/tasks/${done.id}`);
    expect(first.mail.html).toContain(`<a href="https://ct.example.com/#/tasks/${done.id}">`);
    expect(first.mail.headers.get('auto-submitted')).toBe('auto-generated');

    // A second task of the session threads under the first mail.
    await runTask(host, 'Now list the open issues', { contextId: done.contextId });
    await smtp.until(() => smtp.delivered.length === 2);
    const second = smtp.delivered[1]!.mail;
    expect(second.subject).toBe('[CodeTether] Now list the open issues (completed)');
    expect(second.references).toEqual([root, first.mail.messageId]);
    expect(second.inReplyTo).toBe(first.mail.messageId);

    const failed = await runTask(host, 'Run the build', { agent: 'breaker' });
    await smtp.until(() => smtp.delivered.length === 3);
    const failMail = smtp.delivered[2]!.mail;
    expect(failMail.subject).toBe('[CodeTether] Run the build (failed)');
    expect(failMail.text).toContain('Why it failed:\nAgent "breaker" failed: the build broke: 3 tests failed');
    expect(failMail.text).toContain(`Agent breaker · task ${failed.id}`);

    const asked = await runTask(host, 'Migrate the users table', { agent: 'asker' });
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    await smtp.until(() => smtp.delivered.length === 4);
    const askMail = smtp.delivered[3]!.mail;
    expect(askMail.subject).toBe('[CodeTether] Migrate the users table (needs your input)');
    expect(askMail.text).toContain('The agent asks:\nWhich database should I use?');
    expect(askMail.text).toContain('Reply to this mail to answer');
    expect(askMail.html).toContain('Which database should I use?');

    await eventually(() => host.email.outbox!.rows().every((r) => r.state === 'sent'), 5000, 'every row to be recorded as sent');
    expect(host.email.outbox!.rows()).toHaveLength(4);
    expect(new Set(smtp.delivered.map((d) => d.mail.messageId)).size).toBe(4);
  });

  it('leaves out tasks sent with notify: false and events a codebase does not want', async () => {
    const smtp = await startSmtpServer();
    onTestFinished(() => smtp.stop());
    const host = await startEmailHost({ smtpPort: smtp.port, email: { events: ['completed', 'input-required'], codebases: { quiet: [] } } });
    const quiet = registerCodebase(createCodebaseRepository(host.db), { name: 'quiet', path: tempDir('codetether-quiet-'), knownAgents: [], now: Date.now() });
    expect(quiet.ok).toBe(true);

    await runTask(host, 'silent one', { metadata: { notify: false } });
    await runTask(host, 'in a quiet codebase', { metadata: { codebase: 'quiet' } });
    await runTask(host, 'a failure nobody asked about', { agent: 'breaker' });
    await runTask(host, 'the one that mails');
    await smtp.until(() => smtp.delivered.length === 1);
    expect(smtp.delivered[0]!.mail.subject).toBe('[CodeTether] the one that mails (completed)');
    const rows = await eventually(() => {
      const all = host.email.outbox!.rows();
      return all.every((r) => r.state !== 'pending') && all;
    });
    expect(rows.map((r) => [r.state, r.last_error])).toEqual([
      ['skipped', 'the task was sent with notify: false'],
      ['skipped', 'codebase quiet does not mail "completed"'],
      ['sent', null],
    ]);
  });

  it('retries with backoff while the SMTP server is down and sends once it is back', async () => {
    const smtp = await startSmtpServer();
    const port = smtp.port;
    await smtp.stop();
    const host = await startEmailHost({ smtpPort: port });

    await runTask(host, 'Deploy while mail is down');
    // attempts counts claims, so a row out of its lease with two of them has failed twice.
    const failing = await eventually(() => host.email.outbox!.rows().find((r) => r.attempts >= 2 && r.lease_until === null), 20_000, 'two failed attempts');
    expect(failing.state).toBe('pending');
    expect(failing.last_error).toMatch(/^Connection: cannot reach 127\.0\.0\.1:\d+ .*ECONNREFUSED/);
    expect(host.email.status()?.outbox.lastError).toBe(failing.last_error);

    const back = await startSmtpServer({ port });
    onTestFinished(() => back.stop());
    await back.until(() => back.delivered.length === 1);
    expect(back.delivered[0]!.mail.subject).toBe('[CodeTether] Deploy while mail is down (completed)');
    const row = await eventually(() => host.email.outbox!.rows().find((r) => r.state === 'sent'));
    expect(row.attempts).toBeGreaterThanOrEqual(3);
  });

  it('queues at the next start a notification whose queueing a crash cut off, and nothing already sent', async () => {
    const smtp = await startSmtpServer();
    onTestFinished(() => smtp.stop());
    const host = await startEmailHost({ smtpPort: smtp.port });
    const sent = await runTask(host, 'Mailed before the crash');
    await smtp.until(() => smtp.delivered.length === 1);
    await eventually(() => host.email.outbox!.rows()[0]?.state === 'sent');
    const lost = await runTask(host, 'Settled as the process died');
    await eventually(() => host.email.outbox!.rows().length === 2);
    await host.stop();
    // What a crash between the task's commit and the outbox INSERT leaves: the event, no row.
    const db = openDatabase(join(host.config.dataDir, 'codetether.db'));
    db.prepare('DELETE FROM email_outbox WHERE task_id = ?').run(lost.id);
    closeDatabase(db);
    smtp.delivered.length = 0;

    const again = await startEmailHost({ smtpPort: smtp.port, dataDir: host.config.dataDir });
    await smtp.until(() => smtp.delivered.length === 1);
    expect(smtp.delivered[0]!.mail.subject).toBe('[CodeTether] Settled as the process died (completed)');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.delivered).toHaveLength(1);
    expect(again.email.outbox!.rows().map((r) => [r.task_id, r.state])).toEqual([
      [sent.id, 'sent'],
      [lost.id, 'sent'],
    ]);
  });
});
