import { randomBytes } from 'node:crypto';
import type { Db } from '../store/open';
import { tokenColumns, type TokenTableRow } from '../store/token-rows';
import { isScope, type Scope } from './scopes';
import type { TokenRecord } from './token-record';
import { generateToken, hashToken } from './token-secret';


function toRecord(row: TokenTableRow): TokenRecord {
  // A scope written by a newer build is dropped rather than trusted.
  const scopes = (JSON.parse(row.scopes) as unknown[]).filter(isScope);
  return {
    id: row.id,
    name: row.name,
    scopes,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
  };
}

export interface NewToken {
  name: string;
  scopes: readonly Scope[];
  expiresAt?: number;
  /** A well-formed secret made elsewhere (a deployment's secret store) instead of a new one. */
  secret?: string;
}

export type CreateResult =
  | { ok: true; token: string; record: TokenRecord }
  | { ok: false; reason: 'name_taken'; existing: TokenRecord };

export type RevokeResult =
  | { kind: 'revoked'; record: TokenRecord }
  | { kind: 'already_revoked'; record: TokenRecord }
  | { kind: 'not_found' };

/** Bounds memory if many distinct tokens are presented between invalidations. */
const cacheLimit = 1024;

/** The tokens table: the CLI and the monitor manage rows through it, the guard looks them up by hash. */
export interface TokenStore {
  /** Creates a token; the plaintext is in the result and nowhere else, ever. */
  create(input: NewToken, now?: number): CreateResult;
  /** Revokes by id, or by the name of the active token with that name. */
  revoke(idOrName: string, now?: number): RevokeResult;
  list(): TokenRecord[];
  /**
   * The guard's per-request lookup. Costs one cheap pragma on a cache hit instead of a row
   * read; a revocation by any connection still applies to the very next request.
   */
  findByHash(hash: string): TokenRecord | undefined;
  markUsed(id: string, at: number): void;
  /** The token with this id, as stored now. */
  get(id: string): TokenRecord | undefined;
  /** Calls `listener` with the id of every token this store revokes; returns the unsubscribe. */
  onRevoke(listener: (id: string) => void): () => void;
  /** Changes whenever another connection (the `codetether token` CLI, say) commits to the database. */
  version(): number;
}


export function createTokenStore(db: Db): TokenStore {
  // Live tokens by hash, valid while `PRAGMA data_version` stands still, which it does until
  // another connection (such as the `codetether token` CLI) commits; writes here clear it too.
  // One store per connection (the composition root builds it once), so one cache sees every write.
  const hashCache = { version: -1, byHash: new Map<string, TokenRecord>() };
  const revokeListeners = new Set<(id: string) => void>();
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const byHash = db.prepare<[string], TokenTableRow>(`SELECT ${tokenColumns} FROM tokens WHERE token_hash = ?`);
  const byId = db.prepare<[string], TokenTableRow>(`SELECT ${tokenColumns} FROM tokens WHERE id = ?`);
  const activeByName = db.prepare<[string], TokenTableRow>(`SELECT ${tokenColumns} FROM tokens WHERE name = ? AND revoked_at IS NULL`);
  const revokedByName = db.prepare<[string], TokenTableRow>(
    `SELECT ${tokenColumns} FROM tokens WHERE name = ? ORDER BY revoked_at DESC LIMIT 1`,
  );
  const all = db.prepare<[], TokenTableRow>(`SELECT ${tokenColumns} FROM tokens ORDER BY created_at, id`);
  const insert = db.prepare(
    'INSERT INTO tokens (id, name, token_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const setRevoked = db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ?');
  const setUsed = db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?');

  const create = db.transaction((input: NewToken, now: number): CreateResult => {
    const existing = activeByName.get(input.name);
    if (existing) return { ok: false, reason: 'name_taken', existing: toRecord(existing) };
    const token = input.secret ?? generateToken();
    const id = randomBytes(8).toString('hex');
    insert.run(id, input.name, hashToken(token), JSON.stringify(input.scopes), now, input.expiresAt ?? null);
    hashCache.byHash.clear();
    return { ok: true, token, record: toRecord(byId.get(id)!) };
  });

  const revoke = db.transaction((idOrName: string, now: number): RevokeResult => {
    const row = byId.get(idOrName) ?? activeByName.get(idOrName) ?? revokedByName.get(idOrName);
    if (!row) return { kind: 'not_found' };
    if (row.revoked_at !== null) return { kind: 'already_revoked', record: toRecord(row) };
    setRevoked.run(now, row.id);
    hashCache.byHash.clear();
    return { kind: 'revoked', record: toRecord({ ...row, revoked_at: now }) };
  });

  return {
    create(input: NewToken, now = Date.now()): CreateResult {
      return create.immediate(input, now);
    },
    revoke(idOrName: string, now = Date.now()): RevokeResult {
      const result = revoke.immediate(idOrName, now);
      if (result.kind === 'revoked') for (const listener of [...revokeListeners]) listener(result.record.id);
      return result;
    },
    get(id: string): TokenRecord | undefined {
      const row = byId.get(id);
      return row && toRecord(row);
    },
    onRevoke(listener) {
      revokeListeners.add(listener);
      return () => revokeListeners.delete(listener);
    },
    version: () => dataVersion.get()!,
    list(): TokenRecord[] {
      return all.all().map(toRecord);
    },
    findByHash(hash: string): TokenRecord | undefined {
      const version = dataVersion.get()!;
      if (version !== hashCache.version) {
        hashCache.byHash.clear();
        hashCache.version = version;
      }
      const cached = hashCache.byHash.get(hash);
      if (cached) return cached;
      const row = byHash.get(hash);
      if (!row) return undefined;
      if (hashCache.byHash.size >= cacheLimit) hashCache.byHash.clear();
      const record = toRecord(row);
      hashCache.byHash.set(hash, record);
      return record;
    },
    markUsed(id: string, at: number): void {
      setUsed.run(at, id);
    },
  };
}

