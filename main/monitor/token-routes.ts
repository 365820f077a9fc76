import type { CreatedToken, TokenInfo } from '../../shared/monitor-api';
import { defaultScopes, isScope, scopeNames } from '../auth/scopes';
import type { TokenRecord } from '../auth/token-record';
import type { TokenStore } from '../auth/token-store';
import { HttpError } from '../http/errors';
import { sendError, sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { badRequest, readObject, requiredString } from '../http/request';

const toInfo = (r: TokenRecord): TokenInfo => ({ ...r, scopes: [...r.scopes] });
const DAY_MS = 24 * 60 * 60 * 1000;

/** `GET/POST /api/tokens`, `POST /api/tokens/{id}:revoke` (the admin scope; see monitorRouteScopes). */
export function addTokenRoutes(router: Router, deps: { tokens: TokenStore; bodyLimit: number }): void {
  router.add('GET', '/api/tokens', (_req, res) => sendJson(res, 200, deps.tokens.list().map(toInfo)));

  router.add('POST', '/api/tokens', async (req, res) => {
    const body = await readObject(req, deps.bodyLimit);
    const name = requiredString(body, 'name').trim();
    if (!name || name.length > 100) throw badRequest('"name" must be 1 to 100 characters.');
    const scopes = body.scopes ?? [...defaultScopes];
    if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every(isScope)) {
      throw badRequest(`"scopes" must be a non-empty list of: ${scopeNames.join(', ')}.`);
    }
    const days = body.expiresInDays;
    if (days !== undefined && days !== null && (typeof days !== 'number' || !Number.isInteger(days) || days < 1)) {
      throw badRequest('"expiresInDays" must be a whole number of days, 1 or more.');
    }
    const now = Date.now();
    const result = deps.tokens.create({ name, scopes: [...new Set(scopes)], expiresAt: typeof days === 'number' ? now + days * DAY_MS : undefined }, now);
    if (!result.ok) throw new HttpError(409, 'name_taken', `An active token is already named "${name}"; revoke it or pick another name.`);
    const created: CreatedToken = { token: result.token, info: toInfo(result.record) };
    sendJson(res, 201, created, { 'cache-control': 'no-store' });
  });

  router.add('POST', '/api/tokens/{id}:revoke', (_req, res, { id }) => {
    const result = deps.tokens.revoke(id!);
    if (result.kind === 'not_found') return sendError(res, 404, 'not_found', `No token with id "${id}".`);
    sendJson(res, 200, toInfo(result.record));
  });
}
