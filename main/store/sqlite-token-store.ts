import type { Db } from './open';
import type { TokenRowStore } from './store-engine';
import { tokenColumns as columns, tokenFromRow, type TokenTableRow } from './token-rows';

/**
 * The tokens table of SQLite's migration 3 behind the async port, with the statements of
 * main/auth/token-store.ts (which the host uses, with its cache and revocation listeners).
 */
export function sqliteTokenStore(db: Db): TokenRowStore {
  const byHash = db.prepare<[string], TokenTableRow>(`SELECT ${columns} FROM tokens WHERE token_hash = ?`);
  const byId = db.prepare<[string], TokenTableRow>(`SELECT ${columns} FROM tokens WHERE id = ?`);
  const liveByName = db.prepare<[string], TokenTableRow>(`SELECT ${columns} FROM tokens WHERE name = ? AND revoked_at IS NULL`);
  const revokedByName = db.prepare<[string], TokenTableRow>(`SELECT ${columns} FROM tokens WHERE name = ? ORDER BY revoked_at DESC LIMIT 1`);
  const all = db.prepare<[], TokenTableRow>(`SELECT ${columns} FROM tokens ORDER BY created_at, id`);
  const insert = db.prepare('INSERT INTO tokens (id, name, token_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)');
  const setRevoked = db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ?');
  const setUsed = db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?');
  const maybe = (row: TokenTableRow | undefined) => row && tokenFromRow(row);
  return {
    insert: async (t) =>
      db.transaction(() => {
        const existing = liveByName.get(t.name);
        if (existing) return { ok: false as const, reason: 'name_taken' as const, existing: tokenFromRow(existing) };
        insert.run(t.id, t.name, t.tokenHash, JSON.stringify(t.scopes), t.createdAt, t.expiresAt);
        return { ok: true as const, token: tokenFromRow(byId.get(t.id)!) };
      }).immediate(),
    revoke: async (idOrName, now) =>
      db.transaction(() => {
        const row = byId.get(idOrName) ?? liveByName.get(idOrName) ?? revokedByName.get(idOrName);
        if (!row) return { kind: 'not_found' as const };
        if (row.revoked_at !== null) return { kind: 'already_revoked' as const, token: tokenFromRow(row) };
        setRevoked.run(now, row.id);
        return { kind: 'revoked' as const, token: tokenFromRow({ ...row, revoked_at: now }) };
      }).immediate(),
    findByHash: async (hash) => maybe(byHash.get(hash)),
    get: async (id) => maybe(byId.get(id)),
    list: async () => all.all().map(tokenFromRow),
    markUsed: async (id, at) => void setUsed.run(at, id),
  };
}
