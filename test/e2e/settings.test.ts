import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useMonitorHost } from './support';

const env = useMonitorHost('codetether-e2e-settings-', { agents: { lint: { command: 'node', args: ['lint.js', '{prompt}'] } } });

describe('Settings › Agents and LLM endpoint', () => {
  it('shows config agents with their command line and saves the endpoint to config.json, saying a restart applies it', async () => {
    const page = await env.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(env.base);
    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.getByTestId('agent-settings');
    await expect.poll(() => section.getByRole('list', { name: 'Agents' }).innerText()).toContain('node lint.js {prompt}');

    await section.getByLabel('LLM base URL').fill('http://127.0.0.1:8080/v1');
    await section.getByLabel('Model').fill('coder');
    await section.getByRole('textbox', { name: /^API key/ }).fill('sk-typed');
    await section.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => section.getByTestId('settings-saved').innerText()).toContain('Restart');
    expect(JSON.parse(readFileSync(join(env.dataDir, 'config.json'), 'utf8'))).toEqual({ llmBaseUrl: 'http://127.0.0.1:8080/v1', llmModel: 'coder', llmApiKey: 'sk-typed' });
    expect(await section.getByRole('textbox', { name: /^API key/ }).inputValue()).toBe('');
    expect(await section.getByRole('checkbox', { name: 'Remove the saved API key' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('saves LAN mode for the next start, with its warning, and switches it back', async () => {
    const page = await env.browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(env.base);
    await page.getByRole('link', { name: 'Settings' }).click();
    const lan = page.getByRole('checkbox', { name: /LAN mode at the next start/ });
    await expect.poll(() => lan.isEnabled()).toBe(true);
    expect(await lan.isChecked()).toBe(false);
    expect(await page.locator('#lan-note').innerText()).toContain('every route but the agent card needs a token');
    // A click, not check(): the box follows what the host saved, a moment after the request.
    await lan.click();
    await expect.poll(() => page.locator('#lan-note').innerText()).toContain('restart the host to apply it');
    expect(JSON.parse(readFileSync(join(env.dataDir, 'config.json'), 'utf8')).host).toBe('0.0.0.0');
    expect(await page.locator('#lan-note').innerText()).toContain('This host listens on loopback only now.');
    await expect.poll(() => lan.isChecked()).toBe(true);
    await lan.click();
    await expect.poll(() => JSON.parse(readFileSync(join(env.dataDir, 'config.json'), 'utf8')).host).toBe('127.0.0.1');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
