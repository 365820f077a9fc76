import type { MonitorRoutes } from '../../shared/monitor-routes';
import type { ScopeRule } from '../auth/route-scopes';
import type { AuditLog } from '../store/audit-repository';
import type { Router } from '../http/router';
import { typedRoutes } from '../http/typed-routes';
import { addSyncPairingRoutes, syncPairingScopes } from './pairing-routes';
import type { SyncService } from './sync-service';

/**
 * `GET /sync/status`: what `codetether sync status` and the monitor show. Needs the read scope
 * (a2a includes it). Also the monitor's join and leave (pairing-routes.ts).
 */
export function addSyncStatusRoute(router: Router, sync: SyncService, bodyLimit: number, audit: Pick<AuditLog, 'append'>): void {
  typedRoutes<MonitorRoutes>(router)('GET /sync/status', () => ({ body: sync.status(), headers: { 'cache-control': 'no-store' } }));
  addSyncPairingRoutes(router, { sync, bodyLimit, audit });
}

export const syncRouteScopes: readonly ScopeRule[] = [{ method: 'GET', path: '/sync/status', scope: 'read' }, ...syncPairingScopes];
