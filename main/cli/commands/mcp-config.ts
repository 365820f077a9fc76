import { mcpClientConfig, mcpClients, TOKEN_PLACEHOLDER, type McpClient } from '../../../shared/mcp-client-config';
import { resolve } from 'node:path';
import { cliInvocation } from '../../base/cli-invocation';
import { loadConfig } from '../../base/config';
import { readRuntime } from '../../base/runtime-file';
import { mcpEndpointUrl } from '../../mcp/endpoint-url';
import type { Command } from '../command';
import { parseFlags } from '../flags';
import { UsageError } from '../usage-error';

const DEFAULT_MCP_PORT = 9000;

export const mcpConfigCommand: Command = {
  name: 'mcp-config',
  summary: 'Print the MCP config snippet for an IDE (Claude Desktop, Cursor, VS Code, Claude Code, OpenCode)',
  usage: `codetether mcp-config --client <${mcpClients.join('|')}> [options]

Prints the snippet on stdout (JSON where the client's config file is JSON, a command line for
claude-code), and where it goes and how to check the connection on stderr.

Options:
  --client <name>    ${mcpClients.join(', ')}
  --token <token>    a token with the "mcp" scope to put in the snippet (default: a placeholder;
                     VS Code prompts for it instead)
  --http             connect the IDE to the host's HTTP endpoint directly instead of through
                     "codetether mcp" over stdio (not for claude-desktop)
  --url <url>        the MCP endpoint (default: the one the host running on the data dir serves,
                     else http://127.0.0.1:<mcpPort>/mcp)
  --data-dir <dir>   where to read the config (for mcpPort) from
  --config <file>    config file to read instead of <data-dir>/config.json`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      client: { type: 'string' },
      token: { type: 'string' },
      http: { type: 'boolean' },
      url: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
    });
    const client = values.client;
    if (!client) throw new UsageError('--client is required.');
    if (!(mcpClients as readonly string[]).includes(client)) throw new UsageError(`unknown client "${client}"; choose one of: ${mcpClients.join(', ')}.`);
    const config = loadConfig({ configFile: values.config, flags: { dataDir: values['data-dir'] } });
    // The running host's own endpoint (its runtime file), else the configured port.
    const url = values.url ?? readRuntime(config.dataDir)?.mcp ?? mcpEndpointUrl(config.mcpPort);
    const cli = cliInvocation();
    // The bridge finds the host again at every start through the data dir, unless told a URL.
    const finds = values.url ? ['--url', url] : ['--data-dir', config.dataDir, ...(values.config ? ['--config', resolve(values.config)] : [])];
    const result = mcpClientConfig({
      client: client as McpClient,
      transport: values.http ? 'http' : 'stdio',
      url,
      defaultUrl: mcpEndpointUrl(DEFAULT_MCP_PORT),
      token: values.token,
      command: cli && [...cli.argv, 'mcp', ...finds],
      env: cli?.env,
    });
    if (!result.ok) {
      io.err(`codetether mcp-config: ${result.error}`);
      return 1;
    }
    const { snippet } = result;
    io.out(snippet.text);
    io.err(`\nPut this in ${snippet.where}.`);
    if (!values.token && client !== 'vscode') {
      io.err(`Replace ${TOKEN_PLACEHOLDER} with a token from "codetether token create --name ${client} --scopes mcp".`);
    }
    io.err(`Check: ${snippet.verify}`);
    return 0;
  },
};
