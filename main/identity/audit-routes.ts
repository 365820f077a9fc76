import type { AuditPage } from '../../shared/identity-api';
import type { MonitorRoutes } from '../../shared/monitor-routes';
import type { ScopeRule } from '../auth/route-scopes';
import { HttpError } from '../http/errors';
import type { Router } from '../http/router';
import { typedRoutes } from '../http/typed-routes';
import type { AuditLog } from '../store/audit-repository';
import { entryView, parseFilter } from './audit-query';

export const auditRouteScopes: readonly ScopeRule[] = [{ path: '/api/audit', scope: 'admin' }];

const pageDefault = 200;
const pageMax = 5000;

/** `GET /api/audit` (admin): the audit log, newest first, filtered; `before` pages back. */
export function addAuditRoutes(router: Router, audit: AuditLog): void {
  typedRoutes<MonitorRoutes>(router)('GET /api/audit', (_req, _params, url) => {
    const q = url.searchParams;
    const parsed = parseFilter(
      { since: q.get('since'), until: q.get('until'), actor: q.get('actor'), action: q.get('action'), outcome: q.get('outcome'), subject: q.get('subject'), before: q.get('before'), limit: q.get('limit') },
      pageMax,
    );
    if (!parsed.ok) throw new HttpError(400, 'invalid_request', `${parsed.error}.`);
    const limit = parsed.filter.limit ?? pageDefault;
    const entries = audit.query({ ...parsed.filter, limit: limit + 1 });
    const page: AuditPage = { entries: entries.slice(0, limit).map(entryView), nextBefore: entries.length > limit ? entries[limit - 1]!.seq : null };
    return { body: page, headers: { 'cache-control': 'no-store' } };
  });
}
