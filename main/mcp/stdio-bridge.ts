import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isInitializeRequest, isJSONRPCRequest, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';

export interface BridgeOptions {
  url: string;
  token: string;
  /** Diagnostics; stdout carries protocol only. */
  err: (line: string) => void;
  stdin?: NodeJS.ReadableStream & { pause?: () => void };
  stdout?: NodeJS.WritableStream;
}

export type ProbeResult = { ok: true } | { ok: false; message: string };

const tokenHelp = 'Create one with "codetether token create --name ide --scopes mcp" and pass it with --token or CODETETHER_TOKEN.';

/**
 * Asks the endpoint whether it is there and takes the token, before any client message
 * arrives: an IDE shows a server's stderr when it exits at start, not when a call hangs.
 * A GET without a session proves both (the guard answers first; past it we get 400).
 */
export async function probeHost(url: string, token: string): Promise<ProbeResult> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: AbortSignal.timeout(5000) });
  } catch (err) {
    const cause = ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
    return {
      ok: false,
      message: `No CodeTether host is answering at ${url} (${cause}). Start one with "codetether serve" or open the CodeTether app, then restart this MCP server.`,
    };
  }
  await res.body?.cancel();
  if (res.status === 401) return { ok: false, message: `The host at ${url} refused the token (401). ${tokenHelp}` };
  if (res.status === 403) return { ok: false, message: `The host at ${url} refused the request (403): the token needs the "mcp" scope. ${tokenHelp}` };
  if (res.status === 404) return { ok: false, message: `${url} is not a CodeTether MCP endpoint (404). Check --url or the host's mcpPort.` };
  return { ok: true };
}

/**
 * Relays one stdio MCP client to the host's Streamable HTTP endpoint, message for message.
 * The host owns the session, so tools, progress and resource notifications behave exactly as
 * over HTTP. Resolves with the exit code: 0 when the client closes stdin, 1 when the host goes
 * away or ends the session.
 */
export function runStdioBridge(options: BridgeOptions): Promise<number> {
  const stdio = new StdioServerTransport(options.stdin as never, options.stdout as never);
  const http = new StreamableHTTPClientTransport(new URL(options.url), { requestInit: { headers: { authorization: `Bearer ${options.token}` } } });
  let initializeId: RequestId | undefined;
  /** Requests the host has not answered: each gets an error reply if the bridge has to quit. */
  const pending = new Set<RequestId>();
  const refuse = (id: RequestId, why: string) =>
    stdio.send({ jsonrpc: '2.0', id, error: { code: -32603, message: `CodeTether host: ${why}` } }).catch(() => {});

  return new Promise<number>((resolve) => {
    let finished = false;
    const finish = async (code: number, why?: string) => {
      if (finished) return;
      finished = true;
      if (why) options.err(`codetether mcp: ${why}`);
      await Promise.all([...pending].map((id) => refuse(id, why ?? 'the bridge is shutting down')));
      if (code === 0) await http.terminateSession().catch(() => {});
      await Promise.allSettled([http.close(), stdio.close()]);
      resolve(code);
    };

    const fatal = (err: unknown): string | undefined => {
      if (err instanceof StreamableHTTPError && err.code === 404) return 'the host ended this MCP session (it restarted, or the session expired). Restart the MCP server to connect again.';
      if (err instanceof StreamableHTTPError && (err.code === 401 || err.code === 403)) return `the host refused the token (${err.code}). ${tokenHelp}`;
      if (err instanceof TypeError) return `lost the connection to the host at ${options.url} (${((err as Error).cause as Error | undefined)?.message ?? err.message}). Restart the MCP server once the host is back.`;
      return undefined;
    };

    stdio.onmessage = (message: JSONRPCMessage) => {
      if (finished) {
        if (isJSONRPCRequest(message)) void refuse(message.id, 'the bridge has stopped');
        return;
      }
      if (isInitializeRequest(message)) initializeId = (message as { id: RequestId }).id;
      if (isJSONRPCRequest(message)) pending.add(message.id);
      http.send(message).catch((err: unknown) => {
        if (isJSONRPCRequest(message) && pending.delete(message.id)) void refuse(message.id, (err as Error).message);
        const why = fatal(err);
        if (why) void finish(1, why);
      });
    };
    http.onmessage = (message: JSONRPCMessage) => {
      // The bridge is not an SDK Client, so it tells its transport the negotiated version itself.
      if (initializeId !== undefined && 'result' in message && message.id === initializeId) {
        const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
        if (typeof version === 'string') http.setProtocolVersion(version);
        initializeId = undefined;
      }
      if (('result' in message || 'error' in message) && message.id !== undefined) pending.delete(message.id);
      void stdio.send(message);
    };
    http.onerror = (err) => {
      const why = fatal(err);
      if (why) void finish(1, why);
      else options.err(`codetether mcp: ${err.message}`);
    };
    stdio.onerror = (err) => options.err(`codetether mcp: bad input on stdin: ${err.message}`);
    (options.stdin ?? process.stdin).once('end', () => void finish(0));

    void http.start().then(() => stdio.start());
  });
}
