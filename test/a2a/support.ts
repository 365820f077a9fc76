import { Message, SendMessageRequest } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import { randomUUID } from 'node:crypto';
import type { Host } from '../../main/host/host';
import { blockerAgent } from '../support/agents';
import { startTestHost, type ConfigFlags } from '../support/host';
import { sseFrames, type SseFrame } from '../support/sse-frames';

export interface RpcHost {
  host: Host;
  origin: string;
  /** The JSON-RPC endpoint, origin + /a2a. */
  rpc: string;
  /** The SDK client over JSON-RPC v1.0. */
  client: Client;
  /** The SDK's v0.3 compat client over JSON-RPC. */
  legacy: Client;
}

/** A real host on a temp data dir (config `flags` on top) with the blocker agent, and both SDK clients on JSON-RPC. */
export async function startRpcHost(flags: ConfigFlags = {}): Promise<RpcHost> {
  const { host, origin } = await startTestHost({ config: { shutdownGraceMs: 200, ...flags }, agents: [blockerAgent] });
  const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { preferredTransports: ['JSONRPC'] }));
  const client = await factory.createFromUrl(origin);
  // A v0.3-only card makes the factory pick the v0.3 transport (with both, it prefers 1.0).
  const legacyFactory = new ClientFactory({
    transports: [new JsonRpcTransportFactory({ legacyCompat: { enabled: true } })],
    cardResolver: new DefaultAgentCardResolver({ legacyCompat: { enabled: true } }),
  });
  const legacy = await legacyFactory.createFromUrl(origin, '/.well-known/agent-card.json?version=0.3');
  return { host, origin, rpc: `${origin}/a2a`, client, legacy };
}

export function request(text: string, extra: { metadata?: Record<string, unknown>; configuration?: Record<string, unknown>; message?: Record<string, unknown> } = {}): SendMessageRequest {
  return SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }], ...extra.message, metadata: extra.metadata },
    configuration: extra.configuration,
  });
}

export function userMessage(text: string): Message {
  return Message.fromJSON({ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] });
}

export interface RpcAnswer {
  status: number;
  body: { jsonrpc: string; id: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } };
}

/** One raw JSON-RPC POST: for the exact codes and shapes the SDK client hides. */
export async function rpc(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RpcAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as RpcAnswer['body'] };
}

export { sseFrames, type SseFrame };

/** Opens a streaming JSON-RPC call with raw fetch. */
export function openStream(url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });
}

/** Collects frames until the stream ends, or `count` frames when given. */
export async function collect(res: Response, count = Infinity): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  if (count <= 0) return frames;
  for await (const frame of sseFrames(res)) {
    frames.push(frame);
    if (frames.length >= count) break;
  }
  return frames;
}
