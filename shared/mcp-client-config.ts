/**
 * Config snippets that connect an IDE's MCP client to CodeTether. Pure, so the CLI
 * (`codetether mcp-config`) and the monitor print exactly the same thing.
 */
export const mcpClients = ['claude-desktop', 'cursor', 'vscode', 'claude-code', 'opencode'] as const;

export type McpClient = (typeof mcpClients)[number];

export interface McpConfigInput {
  client: McpClient;
  /** stdio: the IDE spawns `codetether mcp`, which relays to the host. http: the IDE talks to the host's endpoint itself. */
  transport: 'stdio' | 'http';
  /** The host's MCP endpoint, e.g. http://127.0.0.1:9000/mcp. */
  url: string;
  /** Passed to the stdio bridge when the endpoint is not the default one. */
  defaultUrl: string;
  /** Omitted: a placeholder (or, in VS Code, a prompt) takes its place. */
  token?: string;
  /**
   * How the IDE starts the stdio bridge, whole (the caller adds what finds the host: --url or
   * --data-dir); default `npx codetether mcp`, plus --url when the endpoint is not the default one.
   */
  command?: readonly string[];
  /** Variables the bridge's runtime needs besides the token (Electron run as Node, say). */
  env?: Readonly<Record<string, string>>;
}

export interface McpConfigSnippet {
  /** 'json' snippets parse as JSON; 'shell' is one command line. */
  format: 'json' | 'shell';
  text: string;
  /** Where the snippet goes. */
  where: string;
  /** How to check that the IDE connected. */
  verify: string;
}

export type McpConfigResult = { ok: true; snippet: McpConfigSnippet } | { ok: false; error: string };

export const TOKEN_PLACEHOLDER = 'YOUR_CODETETHER_TOKEN';
const SERVER = 'codetether';
const VSCODE_INPUT = 'codetether-token';

function stdioArgv(input: McpConfigInput): string[] {
  if (input.command) return [...input.command];
  return ['npx', 'codetether', 'mcp', ...(input.url !== input.defaultUrl ? ['--url', input.url] : [])];
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export function mcpClientConfig(input: McpConfigInput): McpConfigResult {
  const token = input.token ?? TOKEN_PLACEHOLDER;
  const [command, ...args] = stdioArgv(input);
  const env = { ...input.env, CODETETHER_TOKEN: token };
  const auth = { Authorization: `Bearer ${token}` };
  const http = input.transport === 'http';

  switch (input.client) {
    case 'claude-desktop':
      if (http) {
        return { ok: false, error: 'Claude Desktop\'s config file takes stdio servers only: leave out --http, and it starts "codetether mcp", which relays to the host.' };
      }
      return {
        ok: true,
        snippet: {
          format: 'json',
          text: json({ mcpServers: { [SERVER]: { command, args, env } } }),
          where: 'claude_desktop_config.json (Settings > Developer > Edit Config; macOS: ~/Library/Application Support/Claude/, Windows: %APPDATA%\\Claude\\), merged into "mcpServers"',
          verify: 'Restart Claude Desktop; "codetether" appears under the tools (search and tools) menu with its tools. Ask: "list the CodeTether agents".',
        },
      };
    case 'cursor':
      return {
        ok: true,
        snippet: {
          format: 'json',
          text: json({ mcpServers: { [SERVER]: http ? { url: input.url, headers: auth } : { command, args, env } } }),
          where: '~/.cursor/mcp.json (all projects) or .cursor/mcp.json in a project, merged into "mcpServers"',
          verify: 'Cursor Settings > MCP (Tools & Integrations): "codetether" shows a green dot and its tools. In the agent chat, ask to "list the CodeTether agents".',
        },
      };
    case 'vscode': {
      // Without a token VS Code prompts for it once and keeps it in its secret storage.
      const secret = input.token ?? `\${input:${VSCODE_INPUT}}`;
      const inputs = input.token ? {} : { inputs: [{ type: 'promptString', id: VSCODE_INPUT, description: 'CodeTether token (codetether token create --name vscode)', password: true }] };
      const server = http
        ? { type: 'http', url: input.url, headers: { Authorization: `Bearer ${secret}` } }
        : { type: 'stdio', command, args, env: { ...input.env, CODETETHER_TOKEN: secret } };
      return {
        ok: true,
        snippet: {
          format: 'json',
          text: json({ ...inputs, servers: { [SERVER]: server } }),
          where: '.vscode/mcp.json in the workspace (or "MCP: Open User Configuration"), merged into "servers"',
          verify: 'Run "MCP: List Servers": "codetether" is Running. In Copilot Chat (agent mode) the tools button lists the codetether tools.',
        },
      };
    }
    case 'claude-code': {
      const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
      const text = http
        ? `claude mcp add --transport http ${SERVER} ${quote(input.url)} --header ${quote(`Authorization: Bearer ${token}`)}`
        : `claude mcp add ${SERVER} ${Object.entries(env).map(([k, v]) => `--env ${k}=${quote(v)}`).join(' ')} -- ${[command!, ...args].map(quote).join(' ')}`;
      return {
        ok: true,
        snippet: {
          format: 'shell',
          text,
          where: 'a terminal (add --scope user to use it in every project)',
          verify: 'Run "claude mcp list": codetether is Connected. Inside Claude Code, /mcp shows its tools.',
        },
      };
    }
    case 'opencode':
      return {
        ok: true,
        snippet: {
          format: 'json',
          text: json({
            $schema: 'https://opencode.ai/config.json',
            mcp: {
              [SERVER]: http
                ? { type: 'remote', url: input.url, enabled: true, headers: auth }
                : { type: 'local', command: [command, ...args], enabled: true, environment: env },
            },
          }),
          where: 'opencode.json in the project (or ~/.config/opencode/opencode.json), merged into "mcp"',
          verify: 'Run "opencode mcp list": codetether is connected. In a session, ask to "list the CodeTether agents".',
        },
      };
  }
}
