import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { onTestFinished } from 'vitest';
import type { Scope } from '../../main/auth/scopes';
import type { Logger } from '../../main/base/log';
import type { Host } from '../../main/host/host';
import { askAgent, tickerAgent } from '../support/agents';
import { startTestHost, type ConfigFlags } from '../support/host';

export interface McpHost {
  host: Host;
  dataDir: string;
  url: string;
  token: string;
}

/** A real host on a temp dir with the test agents and an "mcp" token; stopped after the test. */
export async function startMcpHost(scopes: Scope[] = ['mcp'], flags: ConfigFlags = {}, log?: Logger): Promise<McpHost> {
  const { host, dataDir } = await startTestHost({ config: flags, agents: [tickerAgent, askAgent], log });
  const created = host.tokens.create({ name: 'test', scopes });
  if (!created.ok) throw new Error('token not created');
  return { host, dataDir, url: host.urls.mcp!, token: created.token };
}

export function httpTransport(mcp: McpHost, sessionId?: string): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(mcp.url), { sessionId, requestInit: { headers: { authorization: `Bearer ${mcp.token}` } } });
}

/** The SDK client over Streamable HTTP with the host's token; closed after the test. */
export async function connectClient(mcp: McpHost): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'codetether-test', version: '1.0.0' });
  const transport = httpTransport(mcp);
  await client.connect(transport);
  onTestFinished(() => client.close());
  return { client, transport };
}
