import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../../main/base/log';
import { cliBin, spawnCli } from '../support/cli-process';
import { startMcpHost } from './support';

const root = fileURLToPath(new URL('../..', import.meta.url));

function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('CODETETHER_')));
  return { ...env, ...extra };
}

/** Runs `codetether ...` to its exit. */
async function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnCli(args, { env });
  return { code: await p.exited, stdout: p.stdout(), stderr: p.stderr() };
}

const initializeParams = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } };

/** `codetether mcp` driven by hand, line by line, to watch its stdout and exit code. */
function spawnBridge(url: string, token: string) {
  const p = spawnCli(['mcp', '--url', url], { env: childEnv({ CODETETHER_TOKEN: token }), stdin: true });
  return {
    send: (m: unknown) => p.child.stdin!.write(JSON.stringify(m) + '\n'),
    end: () => p.child.stdin!.end(),
    stdout: p.stdout,
    stderr: p.stderr,
    exited: p.exited,
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('codetether mcp (stdio)', () => {
  it('relays an SDK client over stdio to the running host: tools, calls and resources', async () => {
    const mcp = await startMcpHost();
    const transport = new StdioClientTransport({ command: process.execPath, args: [cliBin, 'mcp', '--url', mcp.url], cwd: root, env: childEnv({ CODETETHER_TOKEN: mcp.token }), stderr: 'pipe' });
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    onTestFinished(() => client.close());

    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('send_task_and_wait');
    const progress: number[] = [];
    const result = await client.callTool({ name: 'send_task_and_wait', arguments: { message: 'over stdio', agent: 'ticker' } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(result.structuredContent).toMatchObject({ state: 'completed', output: 'tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n' });
    expect(progress.length).toBeGreaterThan(3);

    const { taskId } = (await client.callTool({ name: 'send_task', arguments: { message: 'echo me', agent: 'echo' } })).structuredContent as { taskId: string };
    const uri = `codetether://tasks/${taskId}/output`;
    await expect.poll(async () => ((await client.readResource({ uri })).contents[0] as { text: string }).text, { timeout: 5000 }).toBe('echo me');
  });

  it('exits non-zero with a clear message on stderr, and nothing on stdout, when no host is running', async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await run(['mcp', '--url', `http://127.0.0.1:${port}/mcp`], childEnv({ CODETETHER_TOKEN: 'ct_x' }));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/No CodeTether host is answering at http:\/\/127\.0\.0\.1:\d+\/mcp/);
    expect(stderr).toMatch(/codetether serve/);
  });

  it('refuses to start without a token, and says so when the host refuses the token', async () => {
    const noToken = await run(['mcp', '--url', 'http://127.0.0.1:1/mcp'], childEnv());
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/no token/);

    const mcp = await startMcpHost();
    const refused = await run(['mcp', '--url', mcp.url, '--token', 'ct_not_a_real_token'], childEnv());
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/refused the token \(401\)/);
  });

  it('ends its session when the client closes stdin', async () => {
    const lines: string[] = [];
    const mcp = await startMcpHost(['mcp'], {}, createLogger('debug', (line) => lines.push(line)));
    const child = spawnBridge(mcp.url, mcp.token);
    child.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initializeParams });
    await expect.poll(() => child.stdout().includes('"id":1'), { timeout: 10_000 }).toBe(true);
    child.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    child.end();
    expect(await child.exited).toBe(0);
    const ended = lines.map((l) => JSON.parse(l) as { msg: string; why?: string }).filter((l) => l.msg === 'mcp session ended');
    expect(ended).toEqual([expect.objectContaining({ why: 'client' })]);
  });

  it('answers an in-flight call with an error and exits 1 when the host goes away', async () => {
    const mcp = await startMcpHost();
    const child = spawnBridge(mcp.url, mcp.token);
    child.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initializeParams });
    await expect.poll(() => child.stdout().includes('"id":1'), { timeout: 10_000 }).toBe(true);
    child.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    child.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'send_task_and_wait', arguments: { message: 'long', agent: 'ticker' }, _meta: { progressToken: 'p' } } });
    await expect.poll(() => child.stdout().includes('notifications/progress'), { timeout: 10_000 }).toBe(true);

    await mcp.host.stop();
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toMatch(/lost the connection to the host|ended this MCP session/);
    expect(child.stdout()).toMatch(/"id":2,"error"/);
  });
});
