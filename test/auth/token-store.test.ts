import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTokenStore } from '../../main/auth/token-store';
import { hashToken } from '../../main/auth/token-secret';
import { lastUsedResolutionMs, verifyToken } from '../../main/auth/verify';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { tempDir } from '../support/temp-dir';

function openStore() {
  const file = join(tempDir(), 'codetether.db');
  const db = openDatabase(file);
  return { file, db, tokens: createTokenStore(db) };
}

describe('token store and verify', () => {
  it('issues ct_ + 43 base64url chars and keeps only the SHA-256 hex', () => {
    const { file, db, tokens } = openStore();
    const created = tokens.create({ name: 'laptop', scopes: ['a2a', 'mcp'] });
    if (!created.ok) throw new Error('create failed');
    expect(created.token).toMatch(/^ct_[A-Za-z0-9_-]{43}$/);
    const row = db.prepare('SELECT token_hash, scopes FROM tokens').get() as { token_hash: string; scopes: string };
    expect(row.token_hash).toBe(hashToken(created.token));
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(row.scopes)).toEqual(['a2a', 'mcp']);
    closeDatabase(db);
    const secret = created.token.slice(3);
    expect(readFileSync(file).includes(secret)).toBe(false);
  });

  it('verifies ok, missing, invalid, insufficient scope, revoked and expired', () => {
    const { tokens } = openStore();
    const now = 1_700_000_000_000;
    const a = tokens.create({ name: 'a', scopes: ['read'] }, now);
    const b = tokens.create({ name: 'b', scopes: ['a2a'], expiresAt: now + 1000 }, now);
    if (!a.ok || !b.ok) throw new Error('create failed');

    expect(verifyToken(tokens, a.token, 'read', now)).toMatchObject({ ok: true, token: { name: 'a' } });
    expect(verifyToken(tokens, undefined, 'read', now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyToken(tokens, 'ct_nope', 'read', now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyToken(tokens, 'ct_' + 'A'.repeat(43), 'read', now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyToken(tokens, a.token, 'a2a', now)).toMatchObject({ ok: false, reason: 'insufficient_scope', required: 'a2a' });
    // a2a implies read
    expect(verifyToken(tokens, b.token, 'read', now).ok).toBe(true);
    expect(verifyToken(tokens, b.token, 'a2a', now + 1000)).toEqual({ ok: false, reason: 'expired' });

    expect(tokens.revoke('a', now).kind).toBe('revoked');
    expect(verifyToken(tokens, a.token, 'read', now)).toEqual({ ok: false, reason: 'revoked' });
    expect(tokens.revoke(a.record.id, now).kind).toBe('already_revoked');
    expect(tokens.revoke('nobody', now).kind).toBe('not_found');
  });

  it('sees a revocation committed by another connection on the next lookup', () => {
    const { file, tokens } = openStore();
    const t = tokens.create({ name: 'shared', scopes: ['a2a'] });
    if (!t.ok) throw new Error('create failed');
    expect(verifyToken(tokens, t.token, 'a2a').ok).toBe(true);
    const other = openDatabase(file);
    try {
      expect(createTokenStore(other).revoke('shared').kind).toBe('revoked');
    } finally {
      closeDatabase(other);
    }
    expect(verifyToken(tokens, t.token, 'a2a')).toEqual({ ok: false, reason: 'revoked' });
  });

  it('a revocation through the store reaches its very next lookup, although the token was cached', () => {
    const { tokens } = openStore();
    const t = tokens.create({ name: 'twice', scopes: ['a2a'] });
    if (!t.ok) throw new Error('create failed');
    expect(verifyToken(tokens, t.token, 'a2a').ok).toBe(true);
    tokens.revoke('twice');
    expect(verifyToken(tokens, t.token, 'a2a')).toEqual({ ok: false, reason: 'revoked' });
  });

  it('admin satisfies every scope', () => {
    const { tokens } = openStore();
    const t = tokens.create({ name: 'root', scopes: ['admin'] });
    if (!t.ok) throw new Error('create failed');
    for (const scope of ['admin', 'a2a', 'mcp', 'worker', 'read', 'hooks'] as const) expect(verifyToken(tokens, t.token, scope).ok).toBe(true);
  });

  it('writes last_used_at at most once per minute', () => {
    const { tokens } = openStore();
    const t0 = 1_700_000_000_000;
    const t = tokens.create({ name: 'busy', scopes: ['a2a'] }, t0);
    if (!t.ok) throw new Error('create failed');
    const lastUsed = () => tokens.list()[0]!.lastUsedAt;
    verifyToken(tokens, t.token, 'a2a', t0 + 5);
    expect(lastUsed()).toBe(t0 + 5);
    verifyToken(tokens, t.token, 'a2a', t0 + 5 + lastUsedResolutionMs - 1);
    expect(lastUsed()).toBe(t0 + 5);
    verifyToken(tokens, t.token, 'a2a', t0 + 5 + lastUsedResolutionMs);
    expect(lastUsed()).toBe(t0 + 5 + lastUsedResolutionMs);
  });

  it('keeps names unique among live tokens and frees a name on revoke', () => {
    const { tokens } = openStore();
    const first = tokens.create({ name: 'ci', scopes: ['a2a'] });
    if (!first.ok) throw new Error('create failed');
    expect(tokens.create({ name: 'ci', scopes: ['a2a'] })).toMatchObject({ ok: false, reason: 'name_taken', existing: { id: first.record.id } });
    tokens.revoke('ci');
    const second = tokens.create({ name: 'ci', scopes: ['read'] });
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    // By name, revoke targets the live token, not the revoked one.
    expect(tokens.revoke('ci')).toMatchObject({ kind: 'revoked', record: { id: second.record.id } });
  });

  it('drops scopes it does not know instead of trusting them', () => {
    const { db, tokens } = openStore();
    const t = tokens.create({ name: 'x', scopes: ['read'] });
    if (!t.ok) throw new Error('create failed');
    db.prepare(`UPDATE tokens SET scopes = '["read","future"]'`).run();
    expect(tokens.list()[0]!.scopes).toEqual(['read']);
    expect(() => db.prepare(`UPDATE tokens SET scopes = 'nope'`).run()).toThrow(Database.SqliteError);
  });
});
