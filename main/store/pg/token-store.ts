import type { Pool } from 'pg';
import type { TokenRevoke, TokenRowStore } from '../store-engine';
import { tokenColumns as columns, tokenFromRow, type TokenTableRow } from '../token-rows';
import { transaction } from './pool';

/**
 * The tokens table on PostgreSQL. The partial unique index on live names decides a race between
 * two replicas creating the same name; a revoke locks the row it resolves to, so two replicas
 * revoking one token report it revoked once.
 */
export function pgTokenStore(pool: Pool): TokenRowStore {
  const one = async (sql: string, args: unknown[]) => (await pool.query<TokenTableRow>(sql, args)).rows[0];
  return {
    async insert(t) {
      // A live holder of the name may be revoked between the refused insert and the read: try again then.
      for (;;) {
        const inserted = await one(
          `INSERT INTO tokens (id, name, token_hash, scopes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING RETURNING ${columns}`,
          [t.id, t.name, t.tokenHash, JSON.stringify(t.scopes), t.createdAt, t.expiresAt],
        );
        if (inserted) return { ok: true, token: tokenFromRow(inserted) };
        const existing = await one(`SELECT ${columns} FROM tokens WHERE name = $1 AND revoked_at IS NULL`, [t.name]);
        if (existing) return { ok: false, reason: 'name_taken', existing: tokenFromRow(existing) };
      }
    },
    revoke: (idOrName, now) =>
      transaction<TokenRevoke>(pool, async (c) => {
        const locked = async (where: string) => (await c.query<TokenTableRow>(`SELECT ${columns} FROM tokens WHERE ${where} FOR UPDATE`, [idOrName])).rows[0];
        const row =
          (await locked('id = $1')) ??
          (await locked('name = $1 AND revoked_at IS NULL')) ??
          (await locked('id = (SELECT id FROM tokens WHERE name = $1 ORDER BY revoked_at DESC LIMIT 1)'));
        if (!row) return { commit: false, value: { kind: 'not_found' } };
        if (row.revoked_at !== null) return { commit: false, value: { kind: 'already_revoked', token: tokenFromRow(row) } };
        await c.query('UPDATE tokens SET revoked_at = $1 WHERE id = $2', [now, row.id]);
        return { commit: true, value: { kind: 'revoked', token: tokenFromRow({ ...row, revoked_at: now }) } };
      }),
    findByHash: async (hash) => {
      const row = await one(`SELECT ${columns} FROM tokens WHERE token_hash = $1`, [hash]);
      return row && tokenFromRow(row);
    },
    get: async (id) => {
      const row = await one(`SELECT ${columns} FROM tokens WHERE id = $1`, [id]);
      return row && tokenFromRow(row);
    },
    list: async () => (await pool.query<TokenTableRow>(`SELECT ${columns} FROM tokens ORDER BY created_at, id`)).rows.map(tokenFromRow),
    markUsed: async (id, at) => void (await pool.query('UPDATE tokens SET last_used_at = $1 WHERE id = $2', [at, id])),
  };
}
