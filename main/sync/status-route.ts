import type { ScopeRule } from '../auth/route-scopes';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { addSyncPairingRoutes, syncPairingScopes } from './pairing-routes';
import type { SyncService } from './sync-service';

/**
 * `GET /sync/status`: what `codetether sync status` and the monitor show. Needs the read scope
 * (a2a includes it). Also the monitor's join and leave (pairing-routes.ts).
 */
export function addSyncStatusRoute(router: Router, sync: SyncService, bodyLimit: number): void {
  router.add('GET', '/sync/status', (_req, res) => sendJson(res, 200, sync.status(), { 'cache-control': 'no-store' }));
  addSyncPairingRoutes(router, { sync, bodyLimit });
}

export const syncRouteScopes: readonly ScopeRule[] = [{ method: 'GET', path: '/sync/status', scope: 'read' }, ...syncPairingScopes];
