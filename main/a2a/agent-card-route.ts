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

const LEGACY = new Set(['0.3', '0.3.0']);

/** Either the header or ?version= may ask for 0.3 (clients that always send 1.0 use the query). */
function wantsLegacy(req: IncomingMessage, url: URL): boolean {
  const header = req.headers['a2a-version'];
  return LEGACY.has((typeof header === 'string' ? header : '').trim()) || LEGACY.has(url.searchParams.get('version') ?? '');
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * GET /.well-known/agent-card.json: public, cacheable. The SDK's card handler is express-only,
 * so the card is served here with an ETag, Cache-Control and 304s. A client asking for 0.3
 * (A2A-Version header or ?version=0.3) gets the v0.3-shaped card.
 */
export function addAgentCardRoute(router: Router, card: () => AgentCard): void {
  // The card object only changes when the host rebuilds it, so each shape is rendered once per card.
  const cache = new WeakMap<AgentCard, { v1: Rendered; legacy: Rendered }>();
  const rendered = (c: AgentCard) => {
    let hit = cache.get(c);
    if (!hit) cache.set(c, (hit = { v1: render(AgentCard.toJSON(c)), legacy: render(toLegacyCardJson(c)) }));
    return hit;
  };

  router.add('GET', `/${AGENT_CARD_PATH}`, (req: IncomingMessage, res: ServerResponse, _params, url: URL) => {
    const shapes = rendered(card());
    const { body, etag } = wantsLegacy(req, url) ? shapes.legacy : shapes.v1;
    const headers = { etag, 'cache-control': 'public, max-age=300', vary: 'A2A-Version' };
    if (etagMatches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
