import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/main';
import type { TestHost } from '../support/host';
import { pair, sendAndSettle, startSyncHost, startTestRelay, type TestRelay } from '../sync/support';
import type { Browser, Page } from 'playwright-core';
import { builtMonitor, ensureScreenshotDir, launchChromium } from './support';
import { waitFor } from '../support/wait';

let relay: TestRelay;
let desktop: TestHost;
let laptop: TestHost;
let browser: Browser;

beforeAll(async () => {
  relay = await startTestRelay();
  desktop = await startSyncHost('desktop', { monitorDir: builtMonitor().dir });
  laptop = await startSyncHost('laptop');
  await pair(laptop.dataDir, relay.relay.url, 'team', relay.token('team'));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await desktop?.host.stop();
  await laptop?.host.stop();
});

async function openSettings(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${desktop.origin}/#/settings`);
  await page.getByTestId('sync-state').waitFor();
  return page;
}

describe('the monitor\'s Sync settings against a real relay process', () => {
  it('joins from the form, shows connected and last synced, lists a session and a codebase from the other device by its name, and leaves', async () => {
    const page = await openSettings();
    expect(await page.getByTestId('sync-state').innerText()).toBe('Not in a workspace');

    // The host's own check, shown as it answered.
    await page.getByTestId('sync-url').fill(relay.relay.httpUrl);
    await page.getByTestId('sync-workspace').fill('team');
    await page.getByTestId('sync-token').fill(relay.token('team'));
    await page.getByRole('button', { name: 'Join workspace' }).click();
    await page.getByRole('alert').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('alert').innerText()).toContain('ws://');

    await page.getByTestId('sync-url').fill(relay.relay.url);
    await page.getByRole('button', { name: 'Join workspace' }).click();
    await expect.poll(() => page.getByTestId('sync-state').innerText(), { timeout: 15_000 }).toBe('Connected');
    await expect.poll(() => page.getByTestId('sync-last').innerText(), { timeout: 10_000 }).not.toBe('never');
    await expect.poll(() => page.getByTestId('sync-pending').innerText(), { timeout: 10_000 }).toBe('0');
    await page.locator('#sync-title').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ensureScreenshotDir(), 'sync-settings.png') });
    expect(desktop.host.sync.status()).toMatchObject({ state: 'connected', workspace: 'team' });

    // Named here, the device is called so by the host and the workspace.
    await page.getByTestId('device-name-input').fill('desk in the attic');
    await page.getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => page.getByTestId('device-name').innerText()).toBe('desk in the attic');
    expect(desktop.host.sync.status().deviceName).toBe('desk in the attic');
    await expect.poll(() => page.getByTestId('sync-state').innerText(), { timeout: 15_000 }).toBe('Connected');

    // A session the laptop ran appears here with the laptop's name.
    const task = await sendAndSettle(laptop, 'started on the laptop');
    await waitFor(() => desktop.host.tasks.list({ contextId: task.contextId }).totalSize, (n) => n === 1, 15_000, 'laptop session on desktop');
    await page.goto(`${desktop.origin}/#/sessions`);
    const origin = page.locator('ul.sessions li', { hasText: 'started on the laptop' }).getByTestId('session-origin');
    await origin.waitFor({ timeout: 10_000 });
    expect(await origin.innerText()).toBe('from laptop');
    // Its task names the device it ran on, and offers nothing this device may not do to it.
    await page.goto(`${desktop.origin}/#/tasks/${task.id}`);
    await expect.poll(() => page.getByTestId('task-device').innerText(), { timeout: 10_000 }).toBe('laptop (read-only here)');
    expect(await page.getByRole('button', { name: 'Cancel task' }).count()).toBe(0);
    // It has no event log here; what the laptop synced is shown: its state and messages.
    expect(await page.getByTestId('task-state').innerText()).toContain('Completed');
    expect(await page.locator('.messages').innerText()).toContain('You: started on the laptop');

    // A codebase the laptop registered shows by name, not path; "Register here" starts the form with its name.
    const folder = join(laptop.dataDir, 'app');
    mkdirSync(folder);
    expect(await main(['codebase', 'add', 'app', folder, '--data-dir', laptop.dataDir], { out: () => {}, err: () => {} })).toBe(0);
    await page.goto(`${desktop.origin}/#/codebases`);
    const remote = page.getByTestId('remote-codebase-app');
    await remote.waitFor({ timeout: 15_000 });
    expect(await remote.innerText()).toContain('on laptop, not on this device');
    expect(await remote.innerText()).not.toContain(folder);
    await remote.getByRole('button', { name: 'Register here' }).click();
    expect(await page.getByTestId('codebase-name').inputValue()).toBe('app');

    await page.goto(`${desktop.origin}/#/settings`);
    await page.getByRole('button', { name: 'Leave workspace' }).click();
    await expect.poll(() => page.getByTestId('sync-state').innerText()).toBe('Not in a workspace');
    expect(desktop.host.sync.status().state).toBe('not-paired');
    await page.close();
  }, 60_000);
});
