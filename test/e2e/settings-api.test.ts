import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SettingsInfo, SettingsSaved } from '../../shared/monitor-api';
import type { Scope } from '../../main/auth/scopes';
import { loadConfig, loadConfigWithOrigin } from '../../main/base/config';
import { startHost, type Host } from '../../main/host/host';
import { spawnCli, servedUrls } from '../support/cli-process';
import { startTestHost, type ConfigFlags } from '../support/host';
import { tempDir } from '../support/temp-dir';

const agents = { lint: { command: 'node', args: ['lint.js', '{prompt}'], description: 'Runs the linter' } };

async function start(settings: ConfigFlags = {}) {
  const dataDir = tempDir('codetether-settings-api-');
  const { host, origin } = await startTestHost({ dataDir, config: { shutdownGraceMs: 200, agents, ...settings }, monitorDir: join(dataDir, 'no-build') });
  return { host, dataDir, base: origin };
}

let tokenCount = 0;
function bearer(host: Host, scopes: Scope[]): Record<string, string> {
  const result = host.tokens.create({ name: `s${++tokenCount}`, scopes });
  if (!result.ok) throw new Error('token name taken');
  return { authorization: `Bearer ${result.token}`, 'content-type': 'application/json' };
}

describe('the settings API', () => {
  it('lists built-in and config agents with their command, and says whether a key is set without sending it', async () => {
    const { base } = await start({ llmBaseUrl: 'http://127.0.0.1:11434/v1', llmApiKey: 'sk-running-secret', llmModel: 'qwen' });
    const res = await fetch(`${base}/api/settings`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('sk-running-secret');
    const info = JSON.parse(text) as SettingsInfo;
    expect(info.agents.find((a) => a.name === 'echo')).toMatchObject({ kind: 'built-in' });
    expect(info.agents.find((a) => a.name === 'opencode')).toMatchObject({ kind: 'built-in' });
    expect(info.agents.find((a) => a.name === 'lint')).toEqual({
      name: 'lint',
      description: 'Runs the linter',
      kind: 'config',
      command: 'node',
      args: ['lint.js', '{prompt}'],
    });
    expect(info.settings.llmBaseUrl).toMatchObject({ value: 'http://127.0.0.1:11434/v1', isSet: true, saved: null, savedIsSet: false });
    expect(info.settings.llmApiKey).toMatchObject({ value: null, isSet: true, savedIsSet: false });
    expect(info.settings.llmModel.value).toBe('qwen');
    expect(info.settings.defaultAgent).toMatchObject({ value: 'echo', source: 'default', overriddenBy: null });
  });

  it('merges the saved values into config.json (0600, atomic), which the next start reads; keys stay out of answers', async () => {
    const { base, dataDir } = await start();
    const file = join(dataDir, 'config.json');
    writeFileSync(file, JSON.stringify({ port: 8123, agents }, null, 2), { mode: 0o644 });
    const put = (body: unknown) => fetch(`${base}/api/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const res = await put({ llmBaseUrl: 'http://127.0.0.1:8080/v1', llmApiKey: 'sk-saved-secret', llmModel: 'coder', defaultAgent: 'lint' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('sk-saved-secret');
    const saved = JSON.parse(text) as SettingsSaved;
    expect(saved.restartRequired).toBe(true);
    expect(saved.saved).toEqual(['llmBaseUrl', 'llmApiKey', 'llmModel', 'defaultAgent']);
    expect(saved.settings.llmBaseUrl).toMatchObject({ saved: 'http://127.0.0.1:8080/v1', value: null, isSet: false });
    expect(saved.settings.llmApiKey).toMatchObject({ saved: null, savedIsSet: true, value: null });
    expect(saved.settings.defaultAgent).toMatchObject({ saved: 'lint', value: 'echo' });

    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toEqual({
      port: 8123,
      agents,
      llmBaseUrl: 'http://127.0.0.1:8080/v1',
      llmApiKey: 'sk-saved-secret',
      llmModel: 'coder',
      defaultAgent: 'lint',
    });
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
    const next = loadConfig({ env: {}, flags: { dataDir } });
    expect(next).toMatchObject({ port: 8123, llmBaseUrl: 'http://127.0.0.1:8080/v1', llmApiKey: 'sk-saved-secret', llmModel: 'coder', defaultAgent: 'lint' });

    // null removes a key; the others stay.
    expect((await put({ llmApiKey: null })).status).toBe(200);
    expect(JSON.parse(readFileSync(file, 'utf8'))).not.toHaveProperty('llmApiKey');
    expect(JSON.parse(readFileSync(file, 'utf8')).llmModel).toBe('coder');
    const after = (await (await fetch(`${base}/api/settings`)).json()) as SettingsInfo;
    expect(after.settings.llmApiKey.savedIsSet).toBe(false);
    expect(after.settings.llmModel.saved).toBe('coder');
  });

  it('refuses bad values with a 400 naming the key, leaving config.json alone', async () => {
    const { base, dataDir } = await start();
    const put = async (body: unknown) => {
      const res = await fetch(`${base}/api/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message };
    };
    const badUrl = await put({ llmBaseUrl: 'not a url', llmModel: 'coder' });
    expect(badUrl.status).toBe(400);
    expect(badUrl.message).toContain('llmBaseUrl');
    expect(await put({ llmModel: 7 })).toMatchObject({ status: 400, message: expect.stringContaining('llmModel') });
    expect(await put({ defaultAgent: 'ghost' })).toMatchObject({ status: 400, message: expect.stringContaining('defaultAgent') });
    expect(await put({ port: 1 })).toMatchObject({ status: 400, message: expect.stringContaining('"port"') });
    expect((await put({})).status).toBe(400);
    expect(() => statSync(join(dataDir, 'config.json'))).toThrow();
  });

  it('lets a read token see settings but only an admin token change them', async () => {
    const { host, base, dataDir } = await start({ requireAuth: true });
    const reader = bearer(host, ['read']);
    const admin = bearer(host, ['admin']);
    const body = JSON.stringify({ llmModel: 'coder' });
    expect((await fetch(`${base}/api/settings`)).status).toBe(401);
    expect((await fetch(`${base}/api/settings`, { headers: reader })).status).toBe(200);
    expect((await fetch(`${base}/api/settings`, { method: 'PUT', headers: reader, body })).status).toBe(403);
    expect(() => statSync(join(dataDir, 'config.json'))).toThrow();
    expect((await fetch(`${base}/api/settings`, { method: 'PUT', headers: admin, body })).status).toBe(200);
    expect(JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8'))).toEqual({ llmModel: 'coder' });
  });

  it('says when an environment variable or a flag wins over config.json, as the host loaded them', async () => {
    const dataDir = tempDir('codetether-settings-api-');
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ llmModel: 'from-file', llmBaseUrl: 'http://127.0.0.1:1/v1', defaultAgent: 'echo' }));
    const { config, ...configOrigin } = loadConfigWithOrigin({
      flags: { dataDir, port: 0, mcpPort: 0, logLevel: 'silent', shutdownGraceMs: 200, llmBaseUrl: 'http://127.0.0.1:2/v1' },
      env: { CODETETHER_LLM_MODEL: 'from-env' },
    });
    const host = await startHost(config, { monitorDir: join(dataDir, 'no-build'), configOrigin });
    onTestFinished(() => host.stop());
    // The environment the host started with decides, not the one it has now.
    process.env.CODETETHER_DEFAULT_AGENT = 'set-after-start';
    try {
      const info = (await (await fetch(`${new URL(host.urls.health).origin}/api/settings`)).json()) as SettingsInfo;
      expect(info.configFile).toBe(join(dataDir, 'config.json'));
      expect(info.settings.llmModel).toMatchObject({ value: 'from-env', saved: 'from-file', source: 'env', overriddenBy: 'environment variable CODETETHER_LLM_MODEL' });
      expect(info.settings.llmBaseUrl).toMatchObject({ value: 'http://127.0.0.1:2/v1', source: 'flag', overriddenBy: 'command-line flag --llm-base-url' });
      expect(info.settings.defaultAgent).toMatchObject({ value: 'echo', source: 'file', overriddenBy: null });
      expect(info.settings.host).toMatchObject({ source: 'default', overriddenBy: null });
    } finally {
      delete process.env.CODETETHER_DEFAULT_AGENT;
    }
  });

  it('writes the --config file `codetether serve` read, not <dataDir>/config.json', async () => {
    const dir = tempDir('codetether-settings-api-');
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ mcpPort: 0, agents: {} }));
    const serve = spawnCli(['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--config', configFile, '--log-level', 'warn']);
    try {
      const base = (await servedUrls(serve)).origin;
      const before = (await (await fetch(`${base}/api/settings`)).json()) as SettingsInfo;
      expect(before.configFile).toBe(configFile);
      expect(before.settings.llmModel.source).toBe('default');
      const res = await fetch(`${base}/api/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ llmModel: 'coder' }) });
      expect(res.status).toBe(200);
      expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({ mcpPort: 0, agents: {}, llmModel: 'coder' });
      expect(statSync(configFile).mode & 0o777).toBe(0o600);
      expect(() => statSync(join(dir, 'data', 'config.json'))).toThrow();
    } finally {
      await serve.stop();
    }
  });

  it('refuses to save into a config file it cannot read, with a 409 that names it, and leaves it as it is', async () => {
    const { base, dataDir } = await start();
    const file = join(dataDir, 'config.json');
    writeFileSync(file, '{ "port": ');
    const res = await fetch(`${base}/api/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ llmModel: 'coder' }) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(new RegExp(`${file}.*not valid JSON.*Fix it by hand`));
    expect(readFileSync(file, 'utf8')).toBe('{ "port": ');
  });
});
