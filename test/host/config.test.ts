import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, embeddedOrigin, envName, loadConfig, loadConfigWithOrigin } from '../../main/base/config';
import { updateConfigFile } from '../../main/base/config-file';
import { configSchema } from '../../main/base/config-schema';
import { defaultDataDir } from '../../main/base/data-dir';
import { tempDir } from '../support/temp-dir';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('layers defaults < config file < env < flags', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ port: 8100, mcpPort: 9100, logLevel: 'warn' }));
    const base = loadConfig({ flags: { dataDir }, env: {} });
    expect(base).toMatchObject({ host: '127.0.0.1', port: 8100, mcpPort: 9100, logLevel: 'warn', dataDir });

    const env = { CODETETHER_PORT: '8200', CODETETHER_LOG_LEVEL: 'debug' };
    expect(loadConfig({ flags: { dataDir }, env })).toMatchObject({ port: 8200, mcpPort: 9100, logLevel: 'debug' });
    expect(loadConfig({ flags: { dataDir, port: 8300 }, env })).toMatchObject({ port: 8300, logLevel: 'debug' });
  });

  it('finds the data dir from env and reads an explicit --config file', () => {
    const dataDir = tempDir();
    const other = tempDir();
    const file = join(other, 'custom.json');
    writeFileSync(file, JSON.stringify({ port: 8400 }));
    expect(loadConfig({ env: { CODETETHER_DATA_DIR: dataDir }, configFile: file })).toMatchObject({ dataDir, port: 8400 });
  });

  it('defaults the data dir to the platform app-data folder', () => {
    expect(defaultDataDir('linux', {}, '/home/u')).toBe('/home/u/.config/codetether');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/codetether');
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/codetether');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\AppData' }, 'C:\\u')).toContain('codetether');
    expect(envName('mcpPort')).toBe('CODETETHER_MCP_PORT');
  });

  it('names the bad key and where it came from', () => {
    const dataDir = tempDir();
    const fromEnv = configError(() => loadConfig({ flags: { dataDir }, env: { CODETETHER_PORT: 'eighty' } }));
    expect(fromEnv.key).toBe('port');
    expect(fromEnv.message).toContain('CODETETHER_PORT');

    const fromFlag = configError(() => loadConfig({ flags: { dataDir, port: 70000 }, env: {} }));
    expect(fromFlag.message).toMatch(/"port".*--port/);

    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ prot: 1 }));
    const unknown = configError(() => loadConfig({ flags: { dataDir }, env: {} }));
    expect(unknown.message).toContain('Unknown config key "prot"');
    expect(unknown.message).toContain('config.json');

    writeFileSync(join(dataDir, 'config.json'), '{ not json');
    expect(configError(() => loadConfig({ flags: { dataDir }, env: {} })).message).toContain('not valid JSON');

    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ logLevel: 'loud' }));
    expect(configError(() => loadConfig({ flags: { dataDir }, env: {} })).key).toBe('logLevel');
  });

  it('fails when an explicit config file is missing', () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'x'));
    expect(configError(() => loadConfig({ flags: { dataDir }, env: {}, configFile: join(dataDir, 'nope.json') })).message).toContain('does not exist');
  });

  it('says where each value came from and which file it read', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ port: 8100, llmModel: 'from-file', logLevel: 'warn' }));
    const loaded = loadConfigWithOrigin({ flags: { dataDir, logLevel: 'error' }, env: { CODETETHER_LLM_MODEL: 'from-env' } });
    expect(loaded.file).toBe(join(dataDir, 'config.json'));
    expect(loaded.config).toMatchObject({ port: 8100, llmModel: 'from-env', logLevel: 'error' });
    expect(loaded.sources).toMatchObject({ port: 'file', llmModel: 'env', logLevel: 'flag', dataDir: 'flag', host: 'default', defaultAgent: 'default' });

    const other = join(tempDir(), 'custom.json');
    writeFileSync(other, JSON.stringify({ defaultAgent: 'lint', agents: { lint: { command: 'node' } } }));
    for (const inputs of [{ configFile: other, env: {} }, { env: { CODETETHER_CONFIG: other } }]) {
      const named = loadConfigWithOrigin({ ...inputs, flags: { dataDir } });
      expect(named.file).toBe(other);
      expect(named.sources).toMatchObject({ defaultAgent: 'file', port: 'default' });
    }
  });

  it('reads a config built by an embedder as its defaults and its flags', () => {
    const dataDir = tempDir();
    const origin = embeddedOrigin(configSchema.parse({ dataDir, port: 0, llmModel: 'qwen' }));
    expect(origin.file).toBe(join(dataDir, 'config.json'));
    expect(origin.sources).toMatchObject({ port: 'flag', llmModel: 'flag', dataDir: 'flag', host: 'default', agents: 'default', llmBaseUrl: 'default' });
  });

  it('updates the config file atomically, 0600, keeping the keys it does not change', () => {
    const dir = tempDir();
    const file = join(dir, 'custom.json');
    writeFileSync(file, JSON.stringify({ port: 8123, llmApiKey: 'sk-old' }), { mode: 0o644 });
    expect(updateConfigFile(file, { llmModel: 'coder', llmApiKey: null })).toEqual({ port: 8123, llmModel: 'coder' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ port: 8123, llmModel: 'coder' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['custom.json']);

    const fresh = join(dir, 'new.json');
    updateConfigFile(fresh, { host: '0.0.0.0' });
    expect(loadConfig({ configFile: fresh, env: {}, flags: { dataDir: dir } }).host).toBe('0.0.0.0');

    writeFileSync(file, '{ half a file');
    expect(configError(() => updateConfigFile(file, { llmModel: 'x' })).message).toContain('not valid JSON');
    expect(readFileSync(file, 'utf8')).toBe('{ half a file');
    expect(readdirSync(dir).sort()).toEqual(['custom.json', 'new.json']);
  });
});
