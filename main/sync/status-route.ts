import type { MonitorRoutes } from '../../shared/monitor-routes';
import type { ScopeRule } from '../auth/route-scopes';
import type { Router } from '../http/router';
import { typedRoutes } from '../http/typed-routes';
import { addSyncPairingRoutes, syncPairingScopes } from './pairing-routes';
import type { SyncService } from './sync-service';

/**
 * `GET /sync/status`: what `codetether sync status` and the monitor show. Needs the read scope
 * (a2a includes it). Also the monitor's join and leave (pairing-routes.ts).
 */
export function addSyncStatusRoute(router: Router, sync: SyncService, bodyLimit: number): void {
  typedRoutes<MonitorRoutes>(router)('GET /sync/status', () => ({ body: sync.status(), headers: { 'cache-control': 'no-store' } }));
  addSyncPairingRoutes(router, { sync, bodyLimit });
}

export const syncRouteScopes: readonly ScopeRule[] = [{ method: 'GET', path: '/sync/status', scope: 'read' }, ...syncPairingScopes];
