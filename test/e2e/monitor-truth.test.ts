import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useMonitorHost } from './support';

// What the monitor shows matches what the host holds: the user's answers, the session's agent
// and codebase, ids that can be told apart, and a page for an id the host does not have.

const fixtures = join(process.cwd(), 'test/fixtures/agents');

const env = useMonitorHost('codetether-e2e-truth-', {
  agents: {
    proto: { command: process.execPath, args: [join(fixtures, 'protocol.js')], description: 'Speaks the agent protocol' },
  },
});

async function openPage(): Promise<Page & { problems: string[] }> {
  const page = (await env.browser.newPage({ viewport: { width: 1280, height: 900 } })) as Page & { problems: string[] };
  page.problems = [];
  page.on('pageerror', (err) => page.problems.push(err.message));
  return page;
}

const taskIdOf = (page: Page) => decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);

async function registerCodebase(name: string): Promise<void> {
  const path = join(env.dataDir, name);
  mkdirSync(path, { recursive: true });
  const res = await fetch(`${env.base}/api/codebases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, path }) });
  expect(res.status).toBe(201);
}

describe('the monitor tells the truth, in headless Chromium against a real host', () => {
  it("shows the user's answer in the task's messages, and Continue runs the session's agent in its codebase", async () => {
    await registerCodebase('app');
    const page = await openPage();
    await page.goto(`${env.base}/#/send`);
    await page.getByTestId('composer-codebase').selectOption('app');
    await page.getByTestId('composer-agent').selectOption('proto');
    await page.getByLabel('Prompt').fill('ask');
    await page.getByLabel('Prompt').press('Control+Enter');
    await page.waitForURL(/#\/tasks\//);
    const first = taskIdOf(page);

    await expect.poll(() => page.getByTestId('question').innerText(), { timeout: 10_000 }).toContain('What is your name?');
    await page.getByLabel('Your answer').fill('Ada');
    await page.getByRole('button', { name: 'Send answer' }).click();
    await expect.poll(() => page.getByTestId('task-state').innerText(), { timeout: 10_000 }).toContain('Completed');
    const messages = page.locator('.messages li');
    await expect.poll(() => messages.allInnerTexts()).toEqual(['You: ask', 'Agent: What is your name?', 'You: Ada', 'Agent: hello Ada']);
    // The title is the prompt, the id's distinguishing end beside it.
    expect(await page.locator('#task-title').innerText()).toBe(`ask ${first.replace(/-/g, '').slice(-8)}`);

    // Reloaded, the answer is still there (read from the task's history, not only the live stream).
    await page.reload();
    await expect.poll(() => messages.allInnerTexts()).toEqual(['You: ask', 'Agent: What is your name?', 'You: Ada', 'Agent: hello Ada']);

    // The terminal fills its frame's width at any window size (less than a column and a scrollbar to spare).
    const fill = () =>
      page.getByTestId('terminal').evaluate((frame) => {
        const screen = frame.querySelector('.xterm-screen')!.getBoundingClientRect().width;
        return { frame: frame.clientWidth, screen };
      });
    for (const width of [1600, 900]) {
      await page.setViewportSize({ width, height: 900 });
      await expect.poll(async () => { const f = await fill(); return f.frame - f.screen; }).toBeLessThan(40);
      const { frame, screen } = await fill();
      expect(screen).toBeLessThanOrEqual(frame);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    const contextId = env.host.tasks.get(first).contextId;
    await page.goto(`${env.base}/#/sessions/${contextId}`);
    await expect.poll(() => page.getByTestId('composer-agent').inputValue()).toBe('proto');
    expect(await page.getByTestId('composer-codebase').inputValue()).toBe('app');
    expect(await page.locator('#session-title').innerText()).toBe(`ask ${contextId.replace(/-/g, '').slice(-8)}`);
    await page.getByLabel('Prompt').fill('ask');
    await page.getByRole('button', { name: /Send/ }).click();
    await page.waitForURL((url) => url.hash.startsWith('#/tasks/') && !url.hash.endsWith(first));
    const second = env.host.tasks.get(taskIdOf(page));
    expect(second.contextId).toBe(contextId);
    expect(second.metadata).toMatchObject({ agent: 'proto', codebase: 'app' });
    await expect.poll(() => page.getByTestId('question').innerText(), { timeout: 10_000 }).toContain('What is your name?');
    expect(await page.getByTestId('task-codebase').innerText()).toBe('app');

    // The sessions list names the session by its prompt with the id's end, never "Session 019…".
    await page.goto(`${env.base}/#/sessions`);
    const row = page.locator(`[data-session-id="${contextId}"]`);
    await expect.poll(() => row.innerText()).toContain(`ask ${contextId.replace(/-/g, '').slice(-8)}`);
    expect(await row.innerText()).toContain('2 tasks');
    expect(page.problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows the codebase an A2A client named in its message metadata (not only request metadata) in the overview and task view', async () => {
    await registerCodebase('lib');
    const res = await fetch(`${env.base}/v1/message:send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: { messageId: 'meta-1', role: 'ROLE_USER', parts: [{ text: 'from a client' }], metadata: { codebase: 'lib' } } }),
    });
    expect(res.status).toBe(200);
    const { task } = (await res.json()) as { task: { id: string } };
    const page = await openPage();
    await page.goto(env.base);
    const cells = page.locator(`[data-task-id="${task.id}"] [role="cell"]`);
    await expect.poll(() => cells.allInnerTexts()).toContain('lib');
    await page.goto(`${env.base}/#/tasks/${task.id}`);
    await expect.poll(() => page.getByTestId('task-codebase').innerText()).toBe('lib');
    expect(page.problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('shows a not-found page for a task or session id the host does not have, with nothing to cancel', async () => {
    const page = await openPage();
    await page.goto(`${env.base}/#/tasks/no-such-task`);
    await page.getByTestId('task-not-found').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('task-not-found').innerText()).toContain('no-such-task');
    expect(await page.getByRole('button', { name: 'Cancel task' }).count()).toBe(0);

    await page.goto(`${env.base}/#/sessions/no-such-session`);
    await page.getByTestId('session-not-found').waitFor({ timeout: 10_000 });
    expect(await page.getByLabel('Prompt').count()).toBe(0);
    expect(page.problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('wraps a long error inside the page instead of widening it', async () => {
    const page = await openPage();
    await page.goto(`${env.base}/#/send`);
    await page.getByTestId('composer-agent').waitFor();
    const widths = await page.evaluate(() => {
      const p = document.createElement('p');
      p.className = 'error';
      p.textContent = `spawn failed: ${'/very/long/path/without/spaces'.repeat(40)}`;
      document.querySelector('.view')!.append(p);
      return { error: p.scrollWidth, page: document.documentElement.clientWidth };
    });
    expect(widths.error).toBeLessThanOrEqual(widths.page);
    await page.close();
  }, 30_000);

  it('has a favicon, an index of the Settings sections, and says so when a table is empty', async () => {
    const page = await openPage();
    await page.goto(`${env.base}/#/settings`);
    const icon = await page.locator('link[rel="icon"]').evaluate((link) => (link as HTMLLinkElement).href);
    const served = await fetch(icon);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/svg+xml');
    expect(await served.text()).toContain('<svg');

    await expect.poll(() => page.getByTestId('tokens-empty').innerText()).toContain('No tokens yet');
    const index = page.getByRole('navigation', { name: 'Settings sections' });
    await expect.poll(() => index.getByRole('button').allInnerTexts()).toEqual(['Host', 'Agents', 'Tokens', 'IDE setup', 'Sync', 'Email']);
    await index.getByRole('button', { name: 'Email' }).click();
    // The route stays; the section's heading is in view and focused.
    expect(new URL(page.url()).hash).toBe('#/settings');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('email-title');
    expect(await page.locator('#email-title').evaluate((h) => h.getBoundingClientRect().top < innerHeight)).toBe(true);
    expect(page.problems).toEqual([]);
    await page.close();
  }, 30_000);
});
