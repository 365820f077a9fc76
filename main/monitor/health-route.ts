import { APP_VERSION } from '../../shared/version';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { Db } from '../store/open';

/** `GET /healthz`: 200 while the database answers, 503 otherwise, so probes see a dead store. */
export function addHealthRoute(router: Router, db: Db, startedAt: number): void {
  router.add('GET', '/healthz', (_req, res) => {
    let database = 'ok';
    try {
      db.prepare('SELECT 1').get();
    } catch {
      database = 'unavailable';
    }
    const status = database === 'ok' ? 'ok' : 'degraded';
    sendJson(res, status === 'ok' ? 200 : 503, {
      status,
      version: APP_VERSION,
      uptimeMs: Date.now() - startedAt,
      database,
    }, { 'cache-control': 'no-store' });
  });
}
