import type { ScopeRule } from '../auth/route-scopes';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { SyncService } from './sync-service';

/** `GET /sync/status`: what `codetether sync status` and the monitor show. Needs the read scope (a2a includes it). */
export function addSyncStatusRoute(router: Router, sync: SyncService): void {
  router.add('GET', '/sync/status', (_req, res) => sendJson(res, 200, sync.status(), { 'cache-control': 'no-store' }));
}

export const syncRouteScopes: readonly ScopeRule[] = [{ method: 'GET', path: '/sync/status', scope: 'read' }];
