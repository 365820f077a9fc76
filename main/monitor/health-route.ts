import { APP_VERSION } from '../../shared/version';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { StoreHealth } from '../store/commit-batcher';
import type { Db } from '../store/open';

/**
 * `GET /healthz`: 200 while the database answers and takes writes, 503 otherwise, so probes see
 * a dead store and one that cannot write (a full disk), with SQLite's reason.
 */
export function addHealthRoute(router: Router, db: Db, startedAt: number, storeHealth: () => StoreHealth): void {
  router.add('GET', '/healthz', (_req, res) => {
    let database = 'ok';
    let databaseError: string | undefined;
    try {
      db.prepare('SELECT 1').get();
      const writes = storeHealth();
      if (!writes.ok) {
        database = 'degraded';
        databaseError = `writes fail since ${new Date(writes.since).toISOString()}: ${writes.reason}`;
      }
    } catch (err) {
      database = 'unavailable';
      databaseError = (err as Error).message;
    }
    const status = database === 'ok' ? 'ok' : 'degraded';
    sendJson(res, status === 'ok' ? 200 : 503, {
      status,
      version: APP_VERSION,
      uptimeMs: Date.now() - startedAt,
      database,
      ...(databaseError ? { databaseError } : {}),
    }, { 'cache-control': 'no-store' });
  });
}
