import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { codeReply, contentText, startFakeLlm } from '../support/fake-llm';
import { ensureScreenshotDir, useMonitorHost } from './support';

let roots = 0;
const fake = await startFakeLlm((request) => {
  if (request.model === 'sub') return { text: `${contentText(request.messages.at(-1)?.content).length} characters read` };
  return [
    codeReply('print("documents:", context.length); print(context[0].name)', 'Look at the shape first.'),
    codeReply('var sizes = llm_query_batched(context.map(function (d) { return d.text })); while (true) {}', 'Ask about each file, then (by mistake) spin.'),
    codeReply('FINAL("Both files were read: " + sizes.join("; "))'),
  ][Math.min(roots++, 2)]!;
});
afterAll(() => fake.close());

const env = useMonitorHost('codetether-e2e-rlm-', { llmBaseUrl: fake.baseUrl, llmModel: 'root', rlmSubModel: 'sub', rlmStepTimeoutMs: 1000 });

describe('the monitor shows an RLM trajectory', () => {
  it('lists each step with its code, output, error, limits and sub-calls', async () => {
    const dir = join(env.dataDir, 'notes');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.txt'), 'alpha notes\n');
    writeFileSync(join(dir, 'b.txt'), 'beta notes, a little longer\n');
    expect(registerCodebase(createCodebaseRepository(env.host.db), { name: 'notes', path: dir, knownAgents: [], now: Date.now() }).ok).toBe(true);
    const { task } = await env.host.tasks.send({
      message: (await import('@a2a-js/sdk')).Message.fromJSON({ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'How long are the notes?' }], metadata: { agent: 'rlm', codebase: 'notes', paths: ['*.txt'] } }),
    });
    const done = await env.host.tasks.settled(task.id);
    expect(done.status?.state).toBe(3);

    const page = await env.browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${env.base}/#/tasks/${task.id}`);
    const trajectory = page.getByTestId('trajectory');
    await trajectory.waitFor();
    await expect.poll(() => page.getByTestId('rlm-step').count()).toBe(3);
    const steps = page.getByTestId('rlm-step');
    await expect.poll(() => steps.nth(0).getByTestId('rlm-code').innerText()).toContain('print("documents:", context.length)');
    expect(await steps.nth(0).getByTestId('rlm-output').innerText()).toBe('documents: 2\na.txt');
    expect(await steps.nth(1).getByTestId('rlm-limit').innerText()).toBe('step_timeout');
    expect(await steps.nth(1).getByTestId('rlm-error').innerText()).toMatch(/InternalError: interrupted/);
    await steps.nth(1).locator('summary').click();
    expect(await steps.nth(1).getByTestId('rlm-subcall').count()).toBe(2);
    expect(await steps.nth(1).getByTestId('rlm-subcall').nth(1).innerText()).toContain('28 characters read');
    expect(await page.getByTestId('rlm-end').innerText()).toMatch(/^Answered · answered in 3 steps · 3 steps, 2 sub-calls/);
    expect(await page.locator('.artifacts').innerText()).toContain('Both files were read: 12 characters read; 28 characters read');
    await page.screenshot({ path: join(ensureScreenshotDir(), 'rlm-trajectory.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 90_000);
});
