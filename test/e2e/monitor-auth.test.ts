import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userMessage } from '../support/task-core';
import { ensureScreenshotDir, useMonitorHost } from './support';

const env = useMonitorHost('codetether-e2e-auth-', { requireAuth: true });

describe('the monitor against a host that requires a token', () => {
  it('says a token is needed, refuses a wrong one, then works live with the right one, also after a reload', async () => {
    const created = env.host.tokens.create({ name: 'lan', scopes: ['read', 'admin'] });
    if (!created.ok) throw new Error('token not created');
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));

    await page.goto(env.base);
    await page.getByTestId('token-needed').waitFor();
    expect(await page.getByTestId('connection').innerText()).toBe('Token needed');
    expect(await page.getByTestId('token-needed').innerText()).toContain('access token');
    await page.screenshot({ path: join(ensureScreenshotDir(), 'token-needed.png'), fullPage: true });

    await page.getByTestId('token-needed').getByLabel('Access token', { exact: true }).fill('ct_not-a-real-token');
    await page.getByTestId('token-needed').getByRole('button', { name: 'Use token' }).click();
    await expect.poll(() => page.getByTestId('token-needed').innerText()).toContain('not valid');

    await page.getByTestId('token-needed').getByLabel('Access token', { exact: true }).fill(created.token);
    await page.getByTestId('token-needed').getByRole('button', { name: 'Use token' }).click();
    await expect.poll(() => page.getByTestId('connection').innerText()).toBe('Live');
    expect(await page.getByTestId('token-needed').count()).toBe(0);

    // Live: a task sent now shows up in the list by the (authorized) feed, and its view streams.
    const { task } = await env.host.tasks.send({ message: userMessage('hello over the LAN') });
    const row = page.locator(`[data-task-id="${task.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await expect.poll(() => page.getByTestId('task-state').innerText(), { timeout: 10_000 }).toContain('Completed');
    expect(await page.locator('.messages').innerText()).toContain('hello over the LAN');

    // The token stays in this browser: a reload connects at once.
    await page.reload();
    await expect.poll(() => page.getByTestId('connection').innerText()).toBe('Live');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Forget token' }).click();
    await page.getByTestId('token-needed').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
