import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../main/cli/main';
import { mcpClientConfig, mcpClients } from '../../shared/mcp-client-config';
import { tempDir } from '../helpers/temp-dir';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const token = 'ct_' + 'a'.repeat(43);

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
      mcpServers: { codetether: { command: 'npx', args: ['codetether', 'mcp'], env: { CODETETHER_TOKEN: token } } },
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
      type: 'local', command: ['npx', 'codetether', 'mcp'], enabled: true, environment: { CODETETHER_TOKEN: 'YOUR_CODETETHER_TOKEN' },
    });
  });

  it('prints a claude-code command line that splits into the right argv', async () => {
    const dataDir = tempDir();
    const stdio = await cli(['mcp-config', '--client', 'claude-code', '--token', token, '--data-dir', dataDir]);
    expect(shellWords(stdio.stdout)).toEqual(['claude', 'mcp', 'add', 'codetether', '--env', `CODETETHER_TOKEN=${token}`, '--', 'npx', 'codetether', 'mcp']);
    const http = await cli(['mcp-config', '--client', 'claude-code', '--http', '--url', 'http://127.0.0.1:9123/mcp', '--token', token, '--data-dir', dataDir]);
    expect(shellWords(http.stdout)).toEqual(['claude', 'mcp', 'add', '--transport', 'http', 'codetether', 'http://127.0.0.1:9123/mcp', '--header', `Authorization: Bearer ${token}`]);
  });

  it('uses the configured mcpPort, passes a non-default URL to the bridge, and prompts for the token in VS Code', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ mcpPort: 9555 }));
    const out = await cli(['mcp-config', '--client', 'cursor', '--data-dir', dataDir]);
    expect(JSON.parse(out.stdout).mcpServers.codetether.args).toEqual(['codetether', 'mcp', '--url', 'http://127.0.0.1:9555/mcp']);
    expect(out.stderr).toMatch(/Replace YOUR_CODETETHER_TOKEN/);

    const vscode = JSON.parse((await cli(['mcp-config', '--client', 'vscode', '--data-dir', dataDir])).stdout);
    expect(vscode.inputs[0]).toMatchObject({ type: 'promptString', id: 'codetether-token', password: true });
    expect(vscode.servers.codetether.env.CODETETHER_TOKEN).toBe('${input:codetether-token}');
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
