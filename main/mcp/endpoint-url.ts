/** The MCP endpoint a host with this mcpPort serves; the bridge's and the config snippets' default. */
export function mcpEndpointUrl(mcpPort: number): string {
  return `http://127.0.0.1:${mcpPort}/mcp`;
}
