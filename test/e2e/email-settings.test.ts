import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer, type SmtpTestServer } from '../notify/smtp-server';
import { useMonitorHost } from './support';

const env = useMonitorHost('codetether-e2e-email-');
let smtp: SmtpTestServer;
beforeAll(async () => {
  smtp = await startSmtpServer({ login: { user: 'me@example.com', pass: 'app-password' } });
});
afterAll(async () => {
  await smtp?.stop();
});

describe('Settings › Email', () => {
  it('tests the typed settings (a failure names its step), then saves them to config.json with the password write-only', async () => {
    const page = await env.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(env.base);
    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.getByTestId('email-settings');
    await expect.poll(() => section.getByTestId('email-running').innerText()).toBe('Off');

    await section.getByLabel('SMTP server', { exact: true }).fill('127.0.0.1');
    await section.getByLabel('SMTP port').fill(String(smtp.port));
    await section.getByLabel('Encryption').selectOption('none');
    await section.getByLabel('User', { exact: true }).fill('me@example.com');
    await section.getByRole('textbox', { name: /^Password/ }).fill('wrong-password');
    await section.getByLabel('From', { exact: true }).fill('CodeTether <me@example.com>');
    await section.getByRole('textbox', { name: /^Recipients/ }).fill('me@example.com');
    await section.getByRole('checkbox', { name: 'Failed' }).uncheck();

    await section.getByRole('button', { name: 'Send test mail' }).click();
    const result = section.getByTestId('email-test');
    await expect.poll(() => result.innerText(), { timeout: 15_000 }).toContain('✗ Authentication: 127.0.0.1');
    expect(smtp.delivered).toHaveLength(0);

    await section.getByRole('textbox', { name: /^Password/ }).fill('app-password');
    await section.getByRole('button', { name: 'Send test mail' }).click();
    await expect.poll(() => result.innerText(), { timeout: 15_000 }).toContain('✓ Test mail accepted for me@example.com');
    expect(smtp.delivered.map((d) => d.mail.subject)).toEqual(['[CodeTether] Test mail']);

    await section.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => section.getByTestId('email-saved').innerText()).toContain('Restart');
    const file = join(env.dataDir, 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).email).toEqual({
      host: '127.0.0.1', port: smtp.port, tls: 'none', user: 'me@example.com', password: 'app-password',
      from: 'CodeTether <me@example.com>', recipients: ['me@example.com'], events: ['completed', 'input-required'],
    });
    expect(await section.getByRole('textbox', { name: /^Password/ }).inputValue()).toBe('');
    expect(await section.getByRole('textbox', { name: /^Password/ }).getAttribute('placeholder')).toBe('saved; type to replace');
    const shown = (await (await fetch(`${env.base}/api/email`)).json()) as { saved: Record<string, unknown> };
    expect(shown.saved).toMatchObject({ passwordSet: true, host: '127.0.0.1' });
    expect(JSON.stringify(shown)).not.toContain('app-password');
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'screenshots', 'settings-email.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
