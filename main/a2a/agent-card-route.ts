import { AgentCard, AGENT_CARD_PATH } from '@a2a-js/sdk';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Router } from '../http/router';
import { toLegacyCardJson } from './agent-card';

interface Rendered {
  body: string;
  etag: string;
}

function render(json: unknown): Rendered {
  const body = JSON.stringify(json);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

type Shape = 'v1' | 'legacy' | 'both';

/**
 * Which card a request gets. The spec reads a missing A2A-Version as 0.3, so a request that names
 * no version gets the v0.3 card with `supportedInterfaces` added for v1.0 clients that forget the
 * header (what the SDK's own legacy card handler serves); 1.0 gets the pure v1.0 card, 0.3 the
 * pure v0.3 one. The version may come as the header or as ?A2A-Version= (spec 3.6.1) or
 * ?version=, for clients that cannot set headers on discovery.
 */
function shapeFor(req: IncomingMessage, url: URL): Shape {
  const header = req.headers['a2a-version'];
  const asked = ((typeof header === 'string' ? header : '') || url.searchParams.get('A2A-Version') || url.searchParams.get('version') || '').trim();
  if (asked === '') return 'both';
  return /^0\.3(\.\d+)?$/.test(asked) ? 'legacy' : 'v1';
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * GET /.well-known/agent-card.json: public, cacheable. The SDK's card handler is express-only,
 * so the card is served here with an ETag per shape, Cache-Control and 304s; see shapeFor for
 * which shape a request gets (docs/decisions/0013-a2a-interop.md).
 */
export function addAgentCardRoute(router: Router, card: () => AgentCard): void {
  // The card object only changes when the host rebuilds it, so each shape is rendered once per card.
  const cache = new WeakMap<AgentCard, Record<Shape, Rendered>>();
  const rendered = (c: AgentCard) => {
    let hit = cache.get(c);
    if (!hit) {
      const v1 = AgentCard.toJSON(c) as Record<string, unknown>;
      const legacy = toLegacyCardJson(c);
      hit = { v1: render(v1), legacy: render(legacy), both: render({ ...legacy, supportedInterfaces: v1.supportedInterfaces }) };
      cache.set(c, hit);
    }
    return hit;
  };

  router.add('GET', `/${AGENT_CARD_PATH}`, (req: IncomingMessage, res: ServerResponse, _params, url: URL) => {
    const shapes = rendered(card());
    const { body, etag } = shapes[shapeFor(req, url)];
    const headers = { etag, 'cache-control': 'public, max-age=300', vary: 'A2A-Version' };
    if (etagMatches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
