import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { servedUrls, spawnCli } from '../support/cli-process';
import { startSmtpServer } from './smtp-server';

/** `codetether serve` in a process of its own (spawnCli), so it can be SIGKILLed; resolves with its A2A URL. */
async function serve(dataDir: string, configFile: string): Promise<{ child: ChildProcess; url: string }> {
  const host = spawnCli(['serve', '--port', '0', '--data-dir', dataDir, '--config', configFile, '--log-level', 'warn']);
  return { child: host.child, url: (await servedUrls(host)).a2a };
}

async function sendTask(url: string, text: string): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'message/send', params: { message: { kind: 'message', messageId: crypto.randomUUID(), role: 'user', parts: [{ kind: 'text', text }] } } }),
  });
  const body = (await res.json()) as { result?: { status?: { state?: string } } };
  expect(body.result?.status?.state).toBe('completed');
}

describe('email outbox across a SIGKILL', () => {
  it('loses no notification and sends none twice when the host is killed while the SMTP server holds a mail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codetether-email-crash-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    let held = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let onHold: () => void = () => {};
    const holding = new Promise<void>((r) => (onHold = r));
    const smtp = await startSmtpServer({
      // The third mail to arrive is held before the server's answer, the host is killed, and the
      // server then refuses it: the mail was in flight, not accepted, when the sender died.
      beforeAccept: async () => {
        if (++held !== 3) return 'accept';
        onHold();
        await gate;
        return 'drop';
      },
    });
    onTestFinished(() => smtp.stop());
    const configFile = join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        mcpPort: 0,
        email: { host: '127.0.0.1', port: smtp.port, tls: 'none', from: 'CodeTether <me@example.com>', recipients: ['me@example.com'], baseDelayMs: 100, maxDelayMs: 500, timeoutMs: 3000 },
      }),
      { mode: 0o600 },
    );
    const dataDir = join(dir, 'data');

    const first = await serve(dataDir, configFile);
    const titles = ['one', 'two', 'three', 'four', 'five'].map((n) => `Task number ${n}`);
    for (const title of titles) await sendTask(first.url, title);
    await holding;
    expect(smtp.delivered).toHaveLength(2);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    release();
    await smtp.until(() => smtp.dropped.length === 1);

    const second = await serve(dataDir, configFile);
    await smtp.until(() => smtp.delivered.length === 5);
    await new Promise((r) => setTimeout(r, 500));
    const subjects = smtp.delivered.map((d) => d.mail.subject).sort();
    expect(subjects).toEqual(titles.map((t) => `[CodeTether] ${t} (completed)`).sort());
    const ids = smtp.delivered.map((d) => d.mail.messageId);
    expect(new Set(ids).size).toBe(5);
    // The mail cut off by the kill went again under the Message-ID it had.
    expect(ids).toContain(/Message-ID: (<[^>]+>)/i.exec(smtp.dropped[0]!)![1]);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  });
});
