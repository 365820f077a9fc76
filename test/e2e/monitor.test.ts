import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TaskState } from '@a2a-js/sdk';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CodetetherApi } from '../../shared/ipc-contract';
import { ensureScreenshotDir, useMonitorHost } from './support';

const fixtures = join(process.cwd(), 'test/fixtures/agents');

const env = useMonitorHost('codetether-e2e-', {
  agents: {
    slow: { command: process.execPath, args: [join(fixtures, 'slow.js')], description: 'Streams numbered lines slowly' },
    proto: { command: process.execPath, args: [join(fixtures, 'protocol.js')], description: 'Speaks the agent protocol' },
  },
});

async function openPage(): Promise<Page> {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('dialog', (d) => void d.accept());
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(m.text())) problems.push(m.text());
  });
  (page as Page & { problems?: string[] }).problems = problems;
  return page;
}

const problemsOf = (page: Page) => (page as Page & { problems?: string[] }).problems ?? [];

async function sendTask(page: Page, agent: string, prompt: string): Promise<string> {
  await page.getByRole('link', { name: 'Send' }).click();
  await page.getByTestId('composer-codebase').selectOption('app');
  await page.getByTestId('composer-agent').selectOption(agent);
  await page.getByLabel('Prompt').fill(prompt);
  await page.getByLabel('Prompt').press('Control+Enter');
  await page.waitForURL(/#\/tasks\//);
  return decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
}

const terminalText = (page: Page) => page.getByTestId('terminal').locator('.xterm-rows').innerText();

describe('the monitor in headless Chromium against a real host', () => {
  it('adds a codebase, streams a task live, answers a question, cancels, and manages tokens', async () => {
    const page = await openPage();
    await page.goto(env.base);
    await expect.poll(() => page.getByTestId('connection').innerText()).toBe('Live');

    // Codebase, by the browser's path field.
    const folder = join(env.dataDir, 'app');
    mkdirSync(folder);
    await page.getByRole('link', { name: 'Codebases' }).click();
    await page.getByTestId('codebase-path').fill(join(env.dataDir, 'missing'));
    await page.getByTestId('codebase-name').fill('app');
    await page.getByRole('button', { name: 'Add codebase' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('does not exist');
    await page.getByTestId('codebase-path').fill(folder);
    await page.getByRole('button', { name: 'Add codebase' }).click();
    await page.getByTestId('codebase-app').waitFor();

    // Output appears in the terminal while the task still runs.
    const streamed = await sendTask(page, 'slow', 'stream 12');
    await expect.poll(() => terminalText(page), { timeout: 10_000 }).toContain('tick 3 of 12');
    expect(await page.getByTestId('task-state').innerText()).toContain('Running');
    expect(await terminalText(page)).not.toContain('tick 12 of 12');
    await expect.poll(() => page.getByTestId('task-state').innerText(), { timeout: 10_000 }).toContain('Completed');
    // The raw output stream is its own SSE, so its last bytes may land just after the final state.
    await expect.poll(() => terminalText(page), { timeout: 10_000 }).toContain('tick 12 of 12');
    // Raw pty bytes, not the escape-free artifact: "tick N" is drawn in the fixture's cyan (ANSI 36).
    expect(await page.getByTestId('output-kind').innerText()).toContain('colors and all');
    const cyan = page.getByTestId('terminal').locator('.xterm-rows span.xterm-fg-6');
    await expect.poll(() => cyan.count()).toBeGreaterThanOrEqual(12);
    expect(await cyan.first().innerText()).toBe('tick 1');
    await page.getByRole('heading', { name: 'Artifacts' }).waitFor();
    expect(await page.locator('.artifacts').innerText()).toContain('streamed 12 lines');
    expect(await page.getByTestId('timeline').innerText()).toMatch(/Status: Completed/);
    await page.screenshot({ path: join(ensureScreenshotDir(), 'task-view.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(ensureScreenshotDir(), 'task-view-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    // A question from the agent, answered in the task view.
    await sendTask(page, 'proto', 'ask');
    await expect.poll(() => page.getByTestId('question').innerText(), { timeout: 10_000 }).toContain('What is your name?');
    await page.getByLabel('Your answer').fill('Ada');
    await page.getByRole('button', { name: 'Send answer' }).click();
    await expect.poll(() => page.getByTestId('task-state').innerText(), { timeout: 10_000 }).toContain('Completed');
    expect(await page.locator('.messages').innerText()).toContain('hello Ada');

    // Cancel a running task.
    const canceled = await sendTask(page, 'slow', 'stream 1000');
    await expect.poll(() => terminalText(page), { timeout: 10_000 }).toContain('tick 1 of 1000');
    await page.getByRole('button', { name: 'Cancel task' }).click();
    await expect.poll(() => page.getByTestId('task-state').innerText(), { timeout: 10_000 }).toContain('Canceled');
    expect(env.host.tasks.get(canceled).status?.state).toBe(TaskState.TASK_STATE_CANCELED);

    // The overview, live: three tasks in the list, counted by state.
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await expect.poll(() => page.getByTestId('count-completed').innerText()).toBe('2');
    expect(await page.getByTestId('count-canceled').innerText()).toBe('1');
    expect(await page.locator('[data-task-id]').count()).toBe(3);
    expect(await page.locator(`[data-task-id="${streamed}"]`).innerText()).toContain('stream 12');
    await page.screenshot({ path: join(ensureScreenshotDir(), 'overview.png'), fullPage: true });

    // Tokens: created, shown once, works; revoked, refused.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('token-name').fill('e2e');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-token').locator('code').innerText()).trim();
    expect(token).toMatch(/^ct_[\w-]{43}$/);
    const asToken = () => fetch(`${env.base}/v1/tasks`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await asToken()).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('new-token').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke token e2e' }).click();
    await expect.poll(() => page.getByTestId('token-e2e').innerText()).toContain('revoked');
    expect(await asToken()).toBe(401);
    expect(await page.getByTestId('ide-snippet').innerText()).toContain('"mcpServers"');

    expect(problemsOf(page)).toEqual([]);
    await page.close();
  }, 60_000);

  it('lists 1,000 tasks in a virtualized list that keeps up with the live feed', async () => {
    // Counted from what the host holds already, so the test stands on its own.
    const before = env.host.tasks.list({ pageSize: 1 }).totalSize;
    const completedBefore = env.host.tasks.list({ pageSize: 1, state: TaskState.TASK_STATE_COMPLETED }).totalSize;
    const sends = [];
    for (let i = 0; i < 1000; i++) {
      sends.push(env.host.tasks.send({ message: { messageId: `bulk-${i}`, contextId: '', taskId: '', role: 1, parts: [{ content: { $case: 'text', value: `bulk ${i}` }, metadata: undefined, filename: '', mediaType: '' }], metadata: undefined, extensions: [], referenceTaskIds: [] } }));
    }
    await Promise.all(sends);
    const page = await openPage();
    await page.goto(env.base);
    await expect.poll(() => page.getByTestId('count-total').innerText(), { timeout: 15_000 }).toBe(String(before + 1000));
    await expect.poll(() => page.getByTestId('count-completed').innerText(), { timeout: 15_000 }).toBe(String(completedBefore + 1000));
    const rendered = await page.locator('[data-task-id]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    // Scrolling to the end renders the oldest task, still with only a window of rows in the DOM.
    await page.getByTestId('task-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.getByText('stream 12').waitFor();
    expect(await page.locator('[data-task-id]').count()).toBeLessThan(60);
    // Keyboard: rows are links, reachable with Tab and opened with Enter.
    await page.locator('[data-task-id]').last().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/tasks\//);
    expect(problemsOf(page)).toEqual([]);
    await page.close();
  }, 60_000);

  it('runs with the preload API stubbed exactly as the IPC contract types it, and shows when the host is gone', async () => {
    const page = await openPage();
    const stubbed = { hostUrl: env.base, folder: join(env.dataDir, 'app') };
    await page.addInitScript((s) => {
      let openAtLogin = false;
      const openTask: ((payload: { taskId: string }) => void)[] = [];
      const api: CodetetherApi = {
        getInfo: async () => ({ version: '9.9.9-desktop', hostUrl: s.hostUrl, platform: 'linux' }),
        pickFolder: async () => s.folder,
        openExternal: async () => undefined,
        getLoginItem: async () => ({ supported: true, openAtLogin }),
        setLoginItem: async (request) => ({ supported: true, openAtLogin: (openAtLogin = request.openAtLogin) }),
        onOpenTask: (listener) => {
          openTask.push(listener);
          return () => void openTask.splice(openTask.indexOf(listener), 1);
        },
      };
      Object.defineProperty(window, 'codetether', { value: Object.freeze(api) });
      // What main does when a notification is clicked: the test plays that part.
      Object.defineProperty(window, 'clickNotification', { value: (taskId: string) => openTask.forEach((l) => l({ taskId })) });
    }, stubbed);
    await page.goto(`${env.base}/#/codebases`);
    await expect.poll(() => page.getByTestId('connection').innerText()).toBe('Live');
    expect(await page.locator('.version').innerText()).toBe('v9.9.9-desktop');
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    expect(await page.getByTestId('codebase-path').inputValue()).toBe(stubbed.folder);
    expect(await page.getByTestId('codebase-name').inputValue()).toBe('app');

    // A clicked notification opens its task; Settings has the desktop app's open-at-login switch.
    const [first] = env.host.tasks.list({ pageSize: 1 }).tasks;
    await page.evaluate((id) => (window as unknown as { clickNotification(id: string): void }).clickNotification(id), first!.id);
    await page.waitForURL(new RegExp(`#/tasks/${first!.id}$`));
    await page.getByTestId('task-state').waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    const login = page.getByLabel('Open at login');
    expect(await login.isChecked()).toBe(false);
    await login.check();
    await expect.poll(() => login.isChecked()).toBe(true);

    await env.host.stop();
    await page.getByTestId('disconnected').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('connection').innerText()).toBe('Disconnected');
    await page.close();
  }, 30_000);
});
