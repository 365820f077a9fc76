import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenStore } from '../../main/auth/token-store';
import { configSchema } from '../../main/host/config-schema';
import { startHost, type Host } from '../../main/host/host';
import { userMessage } from '../helpers/task-core';
import { builtMonitor, ensureScreenshotDir, launchChromium } from './support';

let host: Host;
let base: string;
let browser: Browser;
let dataDir: string;
let monitor: ReturnType<typeof builtMonitor>;

beforeAll(async () => {
  monitor = builtMonitor();
  dataDir = mkdtempSync(join(tmpdir(), 'codetether-e2e-auth-'));
  const config = configSchema.parse({ dataDir, port: 0, mcpPort: 0, logLevel: 'silent', shutdownGraceMs: 200, requireAuth: true });
  host = await startHost(config, { monitorDir: monitor.dir });
  base = new URL(host.urls.health).origin;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  monitor?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the monitor against a host that requires a token', () => {
  it('says a token is needed, refuses a wrong one, then works live with the right one, also after a reload', async () => {
    const created = createTokenStore(host.db).create({ name: 'lan', scopes: ['read', 'admin'] });
    if (!created.ok) throw new Error('token not created');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));

    await page.goto(base);
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
    const { task } = await host.tasks.send({ message: userMessage('hello over the LAN') });
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
