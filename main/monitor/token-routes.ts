import { z } from 'zod';
import type { CreatedToken, TokenInfo, TokenRequest } from '../../shared/monitor-api';
import type { MonitorRoutes } from '../../shared/monitor-routes';
import { auditContext } from '../auth/actor';
import { defaultScopes, scopeNames } from '../auth/scopes';
import type { TokenRecord } from '../auth/token-record';
import type { TokenStore } from '../auth/token-store';
import { HttpError } from '../http/errors';
import { bodySchema, readBodyAs } from '../http/request';
import type { Router } from '../http/router';
import { typedRoutes } from '../http/typed-routes';
import type { AuditLog } from '../store/audit-repository';

const toInfo = (r: TokenRecord): TokenInfo => ({ ...r, scopes: [...r.scopes] });
const DAY_MS = 24 * 60 * 60 * 1000;

const scopesRule = `must be a non-empty list of: ${scopeNames.join(', ')}`;
const nameRule = 'must be 1 to 100 characters';
const daysRule = 'must be a whole number of days, 1 or more';

/** Scope names are checked after the list's shape, so a client may send any strings and hear which are not scopes. */
const tokenRequest = bodySchema<TokenRequest>()(
  z.object({
    name: z.string().trim().min(1, nameRule).max(100, nameRule),
    scopes: z
      .array(z.string(), { error: scopesRule })
      .min(1, scopesRule)
      .pipe(z.array(z.enum(scopeNames, { error: scopesRule })))
      .default([...defaultScopes]),
    expiresInDays: z.number({ error: daysRule }).int(daysRule).min(1, daysRule).nullish(),
  }),
);

/** `GET/POST /api/tokens`, `POST /api/tokens/{id}:revoke` (the admin scope; see monitorRouteScopes). */
export function addTokenRoutes(router: Router, deps: { tokens: TokenStore; bodyLimit: number; audit: Pick<AuditLog, 'append'> }): void {
  const route = typedRoutes<MonitorRoutes>(router);
  route('GET /api/tokens', () => ({ body: deps.tokens.list().map(toInfo) }));

  route('POST /api/tokens', async (req) => {
    const { name, scopes, expiresInDays } = await readBodyAs(req, deps.bodyLimit, tokenRequest);
    const now = Date.now();
    const result = deps.tokens.create({ name, scopes: [...new Set(scopes)], expiresAt: expiresInDays ? now + expiresInDays * DAY_MS : undefined }, now);
    if (!result.ok) throw new HttpError(409, 'name_taken', `An active token is already named "${name}"; revoke it or pick another name.`);
    deps.audit.append({ ...auditContext(req), action: 'token.created', subject: result.record.id, detail: { name, scopes: result.record.scopes, expiresAt: result.record.expiresAt } });
    const created: CreatedToken = { token: result.token, info: toInfo(result.record) };
    return { status: 201, body: created, headers: { 'cache-control': 'no-store' } };
  });

  route('POST /api/tokens/{id}:revoke', (req, { id }) => {
    const result = deps.tokens.revoke(id!);
    if (result.kind === 'not_found') throw new HttpError(404, 'not_found', `No token with id "${id}".`);
    if (result.kind === 'revoked') deps.audit.append({ ...auditContext(req), action: 'token.revoked', subject: result.record.id, detail: { name: result.record.name } });
    return { body: toInfo(result.record) };
  });
}
