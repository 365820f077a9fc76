import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../main/base/config';
import { main } from '../../main/cli/main';
import { startHost } from '../../main/host/host';
import { mcpClientConfig, mcpClients } from '../../shared/mcp-client-config';
import { tempDir } from '../support/temp-dir';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const token = 'ct_' + 'a'.repeat(43);
/** This installation's runtime and CLI by absolute path: what every stdio snippet starts. */
const bridge = [process.execPath, resolve('main/cli/bin.js'), 'mcp'];

/** Splits a shell line the way sh would for the quoting the generator uses (plain words and '...'). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!));
}

describe('codetether mcp-config', () => {
  it('prints a JSON snippet for each JSON client, stdio and HTTP, with the token and URL in place', async () => {
    const dataDir = tempDir();
    for (const client of ['claude-desktop', 'cursor', 'vscode', 'opencode'] as const) {
      const stdio = await cli(['mcp-config', '--client', client, '--token', token, '--data-dir', dataDir]);
      expect(stdio.code, stdio.stderr).toBe(0);
      const parsed = JSON.parse(stdio.stdout);
      expect(JSON.stringify(parsed)).toContain(token);
      expect(JSON.stringify(parsed)).toContain('"mcp"');
      expect(stdio.stderr).toMatch(/Put this in/);
      expect(stdio.stderr).toMatch(/Check:/);
    }
    expect(JSON.parse((await cli(['mcp-config', '--client', 'claude-desktop', '--token', token, '--data-dir', dataDir])).stdout)).toEqual({
      mcpServers: { codetether: { command: bridge[0], args: [...bridge.slice(1), '--data-dir', dataDir], env: { CODETETHER_TOKEN: token } } },
    });

    for (const client of ['cursor', 'vscode', 'opencode'] as const) {
      const http = await cli(['mcp-config', '--client', client, '--http', '--token', token, '--data-dir', dataDir]);
      expect(http.code).toBe(0);
      const text = JSON.stringify(JSON.parse(http.stdout));
      expect(text).toContain('http://127.0.0.1:9000/mcp');
      expect(text).toContain(`Bearer ${token}`);
    }
    expect(JSON.parse((await cli(['mcp-config', '--client', 'vscode', '--http', '--token', token, '--data-dir', dataDir])).stdout)).toEqual({
      servers: { codetether: { type: 'http', url: 'http://127.0.0.1:9000/mcp', headers: { Authorization: `Bearer ${token}` } } },
    });
    expect(JSON.parse((await cli(['mcp-config', '--client', 'opencode', '--data-dir', dataDir])).stdout).mcp.codetether).toEqual({
      type: 'local', command: [...bridge, '--data-dir', dataDir], enabled: true, environment: { CODETETHER_TOKEN: 'YOUR_CODETETHER_TOKEN' },
    });
  });

  it('prints a claude-code command line that splits into the right argv', async () => {
    const dataDir = tempDir();
    const stdio = await cli(['mcp-config', '--client', 'claude-code', '--token', token, '--data-dir', dataDir]);
    expect(shellWords(stdio.stdout)).toEqual(['claude', 'mcp', 'add', 'codetether', '--env', `CODETETHER_TOKEN=${token}`, '--', ...bridge, '--data-dir', dataDir]);
    const http = await cli(['mcp-config', '--client', 'claude-code', '--http', '--url', 'http://127.0.0.1:9123/mcp', '--token', token, '--data-dir', dataDir]);
    expect(shellWords(http.stdout)).toEqual(['claude', 'mcp', 'add', '--transport', 'http', 'codetether', 'http://127.0.0.1:9123/mcp', '--header', `Authorization: Bearer ${token}`]);
  });

  it('uses the configured mcpPort, passes a URL given to the bridge, and prompts for the token in VS Code', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ mcpPort: 9555 }));
    const out = await cli(['mcp-config', '--client', 'cursor', '--http', '--data-dir', dataDir]);
    expect(JSON.parse(out.stdout).mcpServers.codetether.url).toBe('http://127.0.0.1:9555/mcp');
    expect(out.stderr).toMatch(/Replace YOUR_CODETETHER_TOKEN/);
    const told = await cli(['mcp-config', '--client', 'cursor', '--url', 'http://127.0.0.1:9123/mcp', '--data-dir', dataDir]);
    expect(JSON.parse(told.stdout).mcpServers.codetether.args).toEqual([...bridge.slice(1), '--url', 'http://127.0.0.1:9123/mcp']);

    const vscode = JSON.parse((await cli(['mcp-config', '--client', 'vscode', '--data-dir', dataDir])).stdout);
    expect(vscode.inputs[0]).toMatchObject({ type: 'promptString', id: 'codetether-token', password: true });
    expect(vscode.servers.codetether.env.CODETETHER_TOKEN).toBe('${input:codetether-token}');
  });

  it('names the port the running host really bound, and its snippet runs from another folder with nothing on PATH', async () => {
    const dataDir = tempDir();
    const host = await startHost(loadConfig({ flags: { dataDir, port: 0, mcpPort: 0, logLevel: 'silent' }, env: {} }));
    onTestFinished(() => host.stop());
    const created = host.tokens.create({ name: 'ide', scopes: ['mcp'] });
    if (!created.ok) throw new Error('token');

    const http = JSON.parse((await cli(['mcp-config', '--client', 'cursor', '--http', '--data-dir', dataDir])).stdout);
    expect(http.mcpServers.codetether.url).toBe(host.urls.mcp);

    const { command, args } = JSON.parse((await cli(['mcp-config', '--client', 'claude-desktop', '--token', created.token, '--data-dir', dataDir])).stdout).mcpServers.codetether;
    const elsewhere = tempDir();
    const path = (process.env.PATH ?? '').split(delimiter).filter((d) => !d.includes('node_modules')).join(delimiter);
    const transport = new StdioClientTransport({ command, args, cwd: elsewhere, env: { PATH: path, CODETETHER_TOKEN: created.token }, stderr: 'pipe' });
    const client = new Client({ name: 'an-ide', version: '1' });
    await client.connect(transport);
    onTestFinished(() => client.close());
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('send_task_and_wait');
  });

  it('refuses what a client cannot take, and unknown clients', async () => {
    const dataDir = tempDir();
    const desktopHttp = await cli(['mcp-config', '--client', 'claude-desktop', '--http', '--data-dir', dataDir]);
    expect(desktopHttp.code).toBe(1);
    expect(desktopHttp.stdout).toBe('');
    expect(desktopHttp.stderr).toMatch(/stdio servers only/);
    expect((await cli(['mcp-config', '--client', 'emacs', '--data-dir', dataDir])).code).toBe(2);
    expect((await cli(['mcp-config', '--data-dir', dataDir])).code).toBe(2);
  });

  it('the generator covers every client it names', () => {
    for (const client of mcpClients) {
      const result = mcpClientConfig({ client, transport: 'stdio', url: 'http://127.0.0.1:9000/mcp', defaultUrl: 'http://127.0.0.1:9000/mcp' });
      expect(result.ok).toBe(true);
    }
  });
});
