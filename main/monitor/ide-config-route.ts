import { mcpClientConfig, mcpClients, type McpClient } from '../../shared/mcp-client-config';
import type { IdeSnippet } from '../../shared/monitor-api';
import type { MonitorRoutes } from '../../shared/monitor-routes';
import { badRequest } from '../http/request';
import type { Router } from '../http/router';
import { typedRoutes } from '../http/typed-routes';

/**
 * `GET /api/ide-config?client=cursor[&transport=http]`: the snippet `codetether mcp-config`
 * prints, from the same generator, with the token placeholder left in (the monitor shows a new
 * token once and never sends one back to the host in a URL).
 */
export interface IdeConfigDeps {
  mcpUrl: () => string | undefined;
  defaultMcpUrl: string;
  /** How an IDE starts this installation's stdio bridge (absolute paths); undefined where it has none to start. */
  bridge?: { command: string[]; env: Record<string, string> };
}

export function addIdeConfigRoute(router: Router, deps: IdeConfigDeps): void {
  typedRoutes<MonitorRoutes>(router)('GET /api/ide-config', (_req, _params, url) => {
    const client = url.searchParams.get('client') ?? '';
    if (!(mcpClients as readonly string[]).includes(client)) throw badRequest(`client must be one of: ${mcpClients.join(', ')}.`);
    const transport = url.searchParams.get('transport') ?? 'stdio';
    if (transport !== 'stdio' && transport !== 'http') throw badRequest('transport must be stdio or http.');
    const mcpUrl = deps.mcpUrl();
    if (!mcpUrl) throw badRequest('The MCP endpoint is not running on this host (its port could not be bound); see the host log.');
    if (transport === 'stdio' && !deps.bridge) throw badRequest('This installation has no command-line bridge for an IDE to start; use the HTTP transport (transport=http).');
    const result = mcpClientConfig({ client: client as McpClient, transport, url: mcpUrl, defaultUrl: deps.defaultMcpUrl, command: deps.bridge?.command, env: deps.bridge?.env });
    if (!result.ok) throw badRequest(result.error);
    const snippet: IdeSnippet = { client, transport, ...result.snippet };
    return { body: snippet };
  });
}
