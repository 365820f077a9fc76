import type { Db } from './open';

export type OAuthPayload = Record<string, unknown>;

/**
 * What the OAuth2 authorization server (oidc-provider, through its adapter) keeps: one payload
 * per model (`Client`, `Grant`, `AuthorizationCode`, `AccessToken`, `RefreshToken`, `Session`,
 * `Interaction`, ...) and id, findable by grant, uid and user code, gone once expired. The CLI
 * writes `Client` rows directly (`codetether oauth client add`). Times are epoch ms.
 */
export interface OAuthRepository {
  upsert(model: string, id: string, payload: OAuthPayload, expiresAt: number | null): void;
  /** The payload unless expired; a consumed one carries `consumed` (epoch seconds), as the provider expects. */
  find(model: string, id: string, now?: number): OAuthPayload | undefined;
  findByUid(model: string, uid: string, now?: number): OAuthPayload | undefined;
  findByUserCode(model: string, userCode: string, now?: number): OAuthPayload | undefined;
  consume(model: string, id: string, at?: number): void;
  destroy(model: string, id: string): void;
  /** Every token and code of a grant (the grant itself is destroyed by id). */
  revokeByGrantId(grantId: string): void;
  /** A client and everything issued to it: its grants, codes and tokens. False when there was no such client. */
  removeClient(clientId: string): boolean;
  /** Live rows of a model, oldest first. */
  list(model: string, now?: number): { id: string; payload: OAuthPayload; expiresAt: number | null }[];
  /** Drops expired rows; the provider never asks for them again. */
  sweep(now?: number): number;
  /** The server's signing keys (private JWKs), oldest first. */
  keys(): Record<string, unknown>[];
  addKey(kid: string, jwk: Record<string, unknown>, at?: number): void;
}

interface Row {
  id: string;
  payload: string;
  expires_at: number | null;
  consumed_at: number | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function createOAuthRepository(db: Db): OAuthRepository {
  const s = {
    upsert: db.prepare(
      `INSERT INTO oauth_models (model, id, payload, grant_id, user_code, uid, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id, user_code = excluded.user_code,
         uid = excluded.uid, expires_at = excluded.expires_at`,
    ),
    find: db.prepare<[string, string], Row>('SELECT id, payload, expires_at, consumed_at FROM oauth_models WHERE model = ? AND id = ?'),
    byUid: db.prepare<[string, string], Row>('SELECT id, payload, expires_at, consumed_at FROM oauth_models WHERE model = ? AND uid = ?'),
    byUserCode: db.prepare<[string, string], Row>('SELECT id, payload, expires_at, consumed_at FROM oauth_models WHERE model = ? AND user_code = ?'),
    consume: db.prepare('UPDATE oauth_models SET consumed_at = ? WHERE model = ? AND id = ?'),
    destroy: db.prepare('DELETE FROM oauth_models WHERE model = ? AND id = ?'),
    revokeGrant: db.prepare('DELETE FROM oauth_models WHERE grant_id = ?'),
    removeClient: db.prepare("DELETE FROM oauth_models WHERE model = 'Client' AND id = ?"),
    removeIssued: db.prepare("DELETE FROM oauth_models WHERE model <> 'Client' AND json_extract(payload, '$.clientId') = ?"),
    list: db.prepare<[string, number], Row>('SELECT id, payload, expires_at, consumed_at FROM oauth_models WHERE model = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY rowid'),
    sweep: db.prepare('DELETE FROM oauth_models WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    keys: db.prepare<[], string>('SELECT jwk FROM oauth_keys ORDER BY created_at, kid').pluck(),
    addKey: db.prepare('INSERT INTO oauth_keys (kid, jwk, created_at) VALUES (?, ?, ?) ON CONFLICT(kid) DO NOTHING'),
  };

  function live(row: Row | undefined, now: number): OAuthPayload | undefined {
    if (!row || (row.expires_at !== null && row.expires_at <= now)) return undefined;
    const payload = JSON.parse(row.payload) as OAuthPayload;
    return row.consumed_at === null ? payload : { ...payload, consumed: Math.floor(row.consumed_at / 1000) };
  }

  return {
    upsert(model, id, payload, expiresAt) {
      s.upsert.run(model, id, JSON.stringify(payload), str(payload.grantId), str(payload.userCode), str(payload.uid), expiresAt);
    },
    find: (model, id, now = Date.now()) => live(s.find.get(model, id), now),
    findByUid: (model, uid, now = Date.now()) => live(s.byUid.get(model, uid), now),
    findByUserCode: (model, userCode, now = Date.now()) => live(s.byUserCode.get(model, userCode), now),
    consume: (model, id, at = Date.now()) => void s.consume.run(at, model, id),
    destroy: (model, id) => void s.destroy.run(model, id),
    revokeByGrantId: (grantId) => void s.revokeGrant.run(grantId),
    removeClient: db.transaction((clientId: string) => {
      const removed = s.removeClient.run(clientId).changes > 0;
      s.removeIssued.run(clientId);
      return removed;
    }),
    list: (model, now = Date.now()) => s.list.all(model, now).map((r) => ({ id: r.id, payload: JSON.parse(r.payload) as OAuthPayload, expiresAt: r.expires_at })),
    sweep: (now = Date.now()) => s.sweep.run(now).changes,
    keys: () => s.keys.all().map((k) => JSON.parse(k) as Record<string, unknown>),
    addKey: (kid, jwk, at = Date.now()) => void s.addKey.run(kid, JSON.stringify(jwk), at),
  };
}
