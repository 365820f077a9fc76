import { HostStartError, listenError } from '../base/errors';

/** listenError, but naming the MCP port's own flag and variable. */
export function mcpListenError(err: NodeJS.ErrnoException, port: number): HostStartError {
  if (err.code === 'EADDRINUSE') {
    return new HostStartError(
      `Cannot start the MCP server: port ${port} on 127.0.0.1 is already in use. Stop the other process or choose another port (--mcp-port / CODETETHER_MCP_PORT; 0 picks a free one).`,
      { cause: err },
    );
  }
  return listenError(err, 'MCP', '127.0.0.1', port);
}
