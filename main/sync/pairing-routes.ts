import { z } from 'zod';
import type { DeviceNameRequest, SyncJoinRequest } from '../../shared/monitor-api';
import type { MonitorRoutes } from '../../shared/monitor-routes';
import { auditContext } from '../auth/actor';
import type { ScopeRule } from '../auth/route-scopes';
import { badRequest, bodySchema, optionalText, readBodyAs } from '../http/request';
import type { AuditLog } from '../store/audit-repository';
import type { Router } from '../http/router';
import { typedRoutes } from '../http/typed-routes';
import { checkPairing } from './pairing';
import { checkDeviceName } from './sync-settings';
import type { SyncService } from './sync-service';

/** The shape of the body; what makes a pairing valid is checkPairing's, shared with `codetether sync join`. */
const joinRequest = bodySchema<SyncJoinRequest>()(z.object({ url: optionalText, workspace: optionalText, token: optionalText }));
const nameRequest = bodySchema<DeviceNameRequest>()(z.object({ name: z.string() }));

/**
 * `POST /api/sync/join` {url, workspace, token} and `POST /api/sync/leave`: the monitor's
 * `codetether sync join` / `leave`, with the same checks. `PUT /api/sync/device` {name} names
 * this device for the others. All answer with the sync status; the relay token is stored, never
 * echoed.
 */
export function addSyncPairingRoutes(router: Router, deps: { sync: SyncService; bodyLimit: number; audit: Pick<AuditLog, 'append'> }): void {
  const route = typedRoutes<MonitorRoutes>(router);
  const noStore = { 'cache-control': 'no-store' };
  route('POST /api/sync/join', async (req) => {
    const checked = checkPairing(await readBodyAs(req, deps.bodyLimit, joinRequest));
    if (!checked.ok) throw badRequest(checked.error);
    const status = deps.sync.join(checked.settings);
    deps.audit.append({ ...auditContext(req), action: 'sync.joined', subject: checked.settings.workspace, detail: { relay: checked.settings.url } });
    return { body: status, headers: noStore };
  });
  route('PUT /api/sync/device', async (req) => {
    const checked = checkDeviceName((await readBodyAs(req, deps.bodyLimit, nameRequest)).name);
    if (!checked.ok) throw badRequest(checked.error);
    return { body: deps.sync.rename(checked.name), headers: noStore };
  });
  route('POST /api/sync/leave', (req) => {
    const was = deps.sync.status();
    if (deps.sync.leave()) deps.audit.append({ ...auditContext(req), action: 'sync.left', subject: was.workspace ?? '', detail: { relay: was.relay ?? null } });
    return { body: deps.sync.status(), headers: noStore };
  });
}

/** Pairing decides where this device's sessions go: admin only. */
export const syncPairingScopes: readonly ScopeRule[] = [{ path: '/api/sync/', prefix: true, scope: 'admin' }];
