import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { publicKeyDocument } from './signing-key-file';
import type { PushSigningKey } from './signature';

export const PUSH_KEY_PATH = '/.well-known/codetether-push-key';

/** Serves the public key webhook receivers verify X-CodeTether-Signature with. */
export function addPushKeyRoute(router: Router, key: PushSigningKey): void {
  const body = publicKeyDocument(key);
  router.add('GET', PUSH_KEY_PATH, (_req, res) => sendJson(res, 200, body, { 'cache-control': 'public, max-age=3600' }));
}
