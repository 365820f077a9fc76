import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtMonitor, launchChromium } from './support';
import { createRun, prd, ralphHost } from '../ralph/support';

let browser: Browser;
let monitor: ReturnType<typeof builtMonitor>;
beforeAll(async () => {
  monitor = builtMonitor();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(url);
  await expect.poll(() => page.getByTestId('connection').innerText()).toBe('Live');
  return page;
}

const column = (page: Page, state: string) => page.getByTestId(`column-${state}`);
const has = (file: string) => `node -e "require('fs').statSync('${file}')"`;

describe('the monitor\'s Ralph view in headless Chromium', () => {
  it('shows the runs and a board of stories that updates live while the run goes, with the agent\'s terminal, check output and diffs', async () => {
    const { base } = await ralphHost(
      { 'US-1': [{ sleepMs: 2500, files: { 'a.txt': 'A\n' } }], 'US-2': [{ files: { 'b.txt': 'wrong\n' } }, { files: { 'b.txt': 'B\n' } }] },
      { monitorDir: monitor.dir },
    );
    const run = await createRun(base, {
      agent: 'scripted',
      prd: prd([{ id: 'US-1', verify: [has('a.txt')] }, { id: 'US-2', dependsOn: ['US-1'], verify: [`node -e "process.exit(require('fs').readFileSync('b.txt','utf8')==='B\\n'?0:1)"`] }], { qualityChecks: {} }),
    });
    const page = await openPage(`${base}/#/ralph`);
    await page.getByRole('link', { name: 'Demo' }).click();
    await page.waitForURL(new RegExp(`#/ralph/${run.id}`));

    // US-1 runs: its card is in Running, US-2 waits in Pending, and the agent's terminal is live.
    await column(page, 'running').getByTestId('story-US-1').waitFor();
    await column(page, 'pending').getByTestId('story-US-2').waitFor();
    await expect.poll(() => page.getByTestId('terminal').locator('.xterm-rows').innerText(), { timeout: 10_000 }).toContain('working on US-1');

    // Then the board moves by itself: US-1 passes, US-2 fails once and passes on its retry.
    await column(page, 'passed').getByTestId('story-US-1').waitFor({ timeout: 20_000 });
    await column(page, 'passed').getByTestId('story-US-2').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('run-status').innerText()).toBe('completed');
    expect(await page.getByTestId('run-progress').innerText()).toContain('2/2 stories passed');
    expect(await page.getByTestId('run-summary').innerText()).toContain('2 of 2 stories passed on branch ralph/demo.');

    await page.getByTestId('story-US-2').click();
    const detail = page.getByTestId('story-detail');
    expect(await detail.getByTestId('attempt-1').innerText()).toContain('checks failed');
    await detail.getByTestId('attempt-1').locator('summary').first().click();
    expect(await detail.getByTestId('attempt-1').innerText()).toMatch(/✘ verify 1 .* exit 1/);
    expect(await detail.getByTestId('attempt-1').locator('.check-output').innerText()).toBe('(no output)');
    expect(await detail.getByTestId('attempt-2').innerText()).toContain('passed');
    await expect.poll(() => detail.getByTestId('story-diff').innerText()).toContain('feat: [US-2] - Story 2');
    expect(await detail.getByTestId('story-diff').innerText()).toContain('+B');

    await page.getByRole('link', { name: '← Ralph runs' }).click();
    await expect.poll(() => page.getByTestId(`ralph-run-${run.id}`).innerText()).toContain('completed');
    await page.close();
  }, 120_000);

  it('cancels a run from its board', async () => {
    const { base } = await ralphHost({ 'US-1': [{ sleepMs: 60_000 }] }, { monitorDir: monitor.dir });
    const run = await createRun(base, { agent: 'scripted', prd: prd([{ id: 'US-1' }]) });
    const page = await openPage(`${base}/#/ralph/${run.id}`);
    await column(page, 'running').getByTestId('story-US-1').waitFor();
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await expect.poll(() => page.getByTestId('run-status').innerText(), { timeout: 10_000 }).toBe('canceled');
    await column(page, 'failed').getByTestId('story-US-1').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    await page.close();
  }, 60_000);
});
