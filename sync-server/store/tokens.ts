import { createHash, randomBytes } from 'node:crypto';
import type { RelayDb } from './open';

const PREFIX = 'ctr_';
const TOKEN_PATTERN = /^ctr_[A-Za-z0-9_-]{43}$/;

export interface TokenRow {
  id: number;
  workspace: string;
  label: string | null;
  createdAt: number;
  revokedAt: number | null;
}

/** What a presented token grants: one workspace, identified by the token's row. */
export interface Grant {
  tokenId: number;
  workspace: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Token storage: only the SHA-256 of a token is kept, so the database never holds a usable secret;
 * the plain token exists once, in `create`'s return value.
 */
export function createTokenStore(db: RelayDb) {
  const insertWorkspace = db.prepare('INSERT OR IGNORE INTO workspaces (id, created_at) VALUES (?, ?)');
  const insertToken = db.prepare('INSERT INTO tokens (workspace_id, hash, label, created_at) VALUES (?, ?, ?, ?)');
  const byHash = db.prepare('SELECT id, workspace_id AS workspace FROM tokens WHERE hash = ? AND revoked_at IS NULL');
  const all = db.prepare(
    'SELECT id, workspace_id AS workspace, label, created_at AS createdAt, revoked_at AS revokedAt FROM tokens ORDER BY id',
  );
  const revokeOne = db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const revokedAmong = db.prepare('SELECT id FROM tokens WHERE revoked_at IS NOT NULL AND id IN (SELECT value FROM json_each(?))');

  const add = (workspace: string, token: string, label: string | undefined): number =>
    db.transaction(() => {
      const now = Date.now();
      insertWorkspace.run(workspace, now);
      return Number(insertToken.run(workspace, hashToken(token), label ?? null, now).lastInsertRowid);
    })();

  return {
    create(workspace: string, label?: string): { id: number; token: string } {
      const token = PREFIX + randomBytes(32).toString('base64url');
      return { id: add(workspace, token, label), token };
    },
    /** Stores an existing token, so instances sharing documents through Redis accept the same ones. */
    add(workspace: string, token: string, label?: string): number {
      if (!TOKEN_PATTERN.test(token)) throw new Error('a relay token is "ctr_" followed by 43 base64url characters');
      return add(workspace, token, label);
    },
    verify(token: string): Grant | undefined {
      if (!token.startsWith(PREFIX)) return undefined;
      const row = byHash.get(hashToken(token)) as { id: number; workspace: string } | undefined;
      return row && { tokenId: row.id, workspace: row.workspace };
    },
    list(): TokenRow[] {
      return all.all() as TokenRow[];
    },
    /** False when no live token has that id. */
    revoke(id: number): boolean {
      return revokeOne.run(Date.now(), id).changes === 1;
    },
    /** Of the given token ids, those revoked since; lets a serving relay cut live connections. */
    revokedAmong(ids: number[]): Set<number> {
      if (ids.length === 0) return new Set();
      return new Set((revokedAmong.all(JSON.stringify(ids)) as { id: number }[]).map((r) => r.id));
    },
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;
