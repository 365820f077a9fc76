import { loadConfig } from '../../base/config';
import { readRuntime } from '../../base/runtime-file';
import { mcpEndpointUrl } from '../../mcp/endpoint-url';
import { probeHost, runStdioBridge } from '../../mcp/stdio-bridge';
import type { Command } from '../command';
import { parseFlags } from '../flags';

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'MCP over stdio for IDEs that only speak stdio: relays to the running host',
  usage: `codetether mcp [options]

Speaks MCP on stdin/stdout and relays every message to the running host's MCP endpoint
(start the host first: "codetether serve" or the desktop app). Diagnostics go to stderr.

Options:
  --token <token>    a token with the "mcp" scope (default: $CODETETHER_TOKEN)
  --url <url>        the host's MCP endpoint (default: the one the host running on the data dir
                     serves, else http://127.0.0.1:<mcpPort>/mcp)
  --data-dir <dir>   where to read the config (for mcpPort) from (default ~/.config/codetether)
  --config <file>    config file to read instead of <data-dir>/config.json`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      token: { type: 'string' },
      url: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
    });
    const token = values.token ?? process.env.CODETETHER_TOKEN;
    if (!token) {
      io.err('codetether mcp: no token. Create one with "codetether token create --name ide --scopes mcp" and pass it with --token or CODETETHER_TOKEN.');
      return 2;
    }
    const config = loadConfig({ configFile: values.config, flags: { dataDir: values['data-dir'] } });
    // The running host's own endpoint (its runtime file names the port it really bound), else the configured port.
    const url = values.url ?? readRuntime(config.dataDir)?.mcp ?? mcpEndpointUrl(config.mcpPort);
    const probe = await probeHost(url, token);
    if (!probe.ok) {
      io.err(`codetether mcp: ${probe.message}`);
      return 1;
    }
    io.err(`codetether mcp: relaying stdio to ${url}`);
    return runStdioBridge({ url, token, err: io.err });
  },
};
