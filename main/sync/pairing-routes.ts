import type { ScopeRule } from '../auth/route-scopes';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { badRequest, optionalString, readObject } from '../http/request';
import { checkPairing } from './pairing';
import type { SyncService } from './sync-service';

/**
 * `POST /api/sync/join` {url, workspace, token} and `POST /api/sync/leave`: the monitor's
 * `codetether sync join` / `leave`, with the same checks. Both answer with the sync status; the
 * relay token is stored, never echoed.
 */
export function addSyncPairingRoutes(router: Router, deps: { sync: SyncService; bodyLimit: number }): void {
  router.add('POST', '/api/sync/join', async (req, res) => {
    const body = await readObject(req, deps.bodyLimit);
    const checked = checkPairing({ url: optionalString(body, 'url'), workspace: optionalString(body, 'workspace'), token: optionalString(body, 'token') });
    if (!checked.ok) throw badRequest(checked.error);
    sendJson(res, 200, deps.sync.join(checked.settings), { 'cache-control': 'no-store' });
  });
  router.add('POST', '/api/sync/leave', (_req, res) => {
    deps.sync.leave();
    sendJson(res, 200, deps.sync.status(), { 'cache-control': 'no-store' });
  });
}

/** Pairing decides where this device's sessions go: admin only. */
export const syncPairingScopes: readonly ScopeRule[] = [{ path: '/api/sync/', prefix: true, scope: 'admin' }];
