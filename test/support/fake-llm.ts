import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { whenDone } from './cleanup';

/** One chat message as an OpenAI-compatible client sends it. */
export interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: ChatMessage[];
  tools?: { function: { name: string } }[];
}

/** What the fake model answers: plain text, or tool calls for the client to run. */
export type Reply = { text: string } | { toolCalls: { name: string; arguments: Record<string, unknown> }[] };

/** An HTTP error instead of an answer (a 429 with retry-after, a 500), as a rate-limited endpoint sends. */
export interface ErrorReply {
  status: number;
  headers?: Record<string, string>;
  message?: string;
}

/** Decides each reply, possibly after a while; `requests` holds every chat request so far, this one last. */
export type Script = (request: ChatRequest, requests: ChatRequest[]) => Reply | ErrorReply | Promise<Reply | ErrorReply>;

/** A reply that is one ```js block (with a line of reasoning before it), as a root model of an RLM writes. */
export function codeReply(code: string, reasoning = 'Next step:'): Reply {
  return { text: `${reasoning}\n\n\`\`\`js\n${code}\n\`\`\`\n` };
}

export interface FakeLlm {
  /** `http://127.0.0.1:PORT/v1`, the baseURL an OpenAI-compatible client takes. */
  baseUrl: string;
  /** Every chat request received, in order. */
  requests: ChatRequest[];
  /** Bearer tokens seen, one per request. */
  authorizations: (string | undefined)[];
  /** When each request arrived (performance.now()), one per request. */
  arrivals: number[];
  close(): Promise<void>;
}

/** The text of a message's content: a string, or an array of parts with text. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'object' && p && 'text' in p ? String((p as { text: unknown }).text) : '')).join('');
  return '';
}

function frames(reply: Reply, model: string): object[] {
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finish: string | null) => ({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] });
  const out: object[] = [chunk({ role: 'assistant', content: '' }, null)];
  if ('text' in reply) {
    // Several pieces, as a real model streams them.
    for (const piece of reply.text.match(/[\s\S]{1,8}/g) ?? []) out.push(chunk({ content: piece }, null));
    out.push(chunk({}, 'stop'));
  } else {
    reply.toolCalls.forEach((call, index) => {
      const args = JSON.stringify(call.arguments);
      out.push(chunk({ tool_calls: [{ index, id: `call_${index}_${id}`, type: 'function', function: { name: call.name, arguments: '' } }] }, null));
      const half = Math.ceil(args.length / 2);
      for (const piece of [args.slice(0, half), args.slice(half)]) out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null));
    });
    out.push(chunk({}, 'tool_calls'));
  }
  out.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
  return out;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A stand-in for a cloud LLM behind an OpenAI-compatible API, on 127.0.0.1 (closed when the
 * test, or the file, is done): streamed
 * `chat.completion.chunk` frames over SSE for `POST /v1/chat/completions`, the model list for
 * `GET /v1/models`. Real agent CLIs talk to it over HTTP exactly as to the real thing.
 */
export async function startFakeLlm(script: Script): Promise<FakeLlm> {
  const requests: ChatRequest[] = [];
  const authorizations: (string | undefined)[] = [];
  const arrivals: number[] = [];
  const send = (res: ServerResponse, status: number, json: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === '/v1/models') return send(res, 200, { object: 'list', data: [] });
      if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') return send(res, 404, { error: { message: `no route ${req.method} ${url.pathname}` } });
      const request = JSON.parse(await body(req)) as ChatRequest;
      requests.push(request);
      authorizations.push(req.headers.authorization);
      arrivals.push(performance.now());
      let reply: Reply | ErrorReply;
      try {
        reply = await script(request, requests);
      } catch (err) {
        // A 4xx: OpenCode gives up at once instead of retrying as it does on 5xx.
        return send(res, 400, { error: { message: (err as Error).message, type: 'invalid_request_error' } });
      }
      if ('status' in reply) {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(JSON.stringify({ error: { message: reply.message ?? `fake error ${reply.status}`, type: 'fake_error' } }));
        return;
      }
      if (!request.stream) {
        const message = 'text' in reply ? { role: 'assistant', content: reply.text } : { role: 'assistant', content: null, tool_calls: reply.toolCalls.map((c, i) => ({ id: `call_${i}`, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) };
        const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
        return send(res, 200, { id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: request.model, choices: [{ index: 0, message, finish_reason: 'text' in reply ? 'stop' : 'tool_calls' }], usage });
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      for (const frame of frames(reply, request.model)) res.write(`data: ${JSON.stringify(frame)}\n\n`);
      res.end('data: [DONE]\n\n');
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { message: String(err) } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  whenDone(close);
  return { baseUrl: `http://127.0.0.1:${port}/v1`, requests, authorizations, arrivals, close };
}
