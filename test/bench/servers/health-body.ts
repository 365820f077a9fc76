import { APP_VERSION } from '../../../shared/version';

const startedAt = Date.now();

/** The /healthz answer without the database probe, so the HTTP bench measures the stack, not SQLite. */
export function healthBody() {
  return { status: 'ok', version: APP_VERSION, uptimeMs: Date.now() - startedAt, database: 'ok' };
}
