import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRefusalAudit } from '../../main/auth/refusal-audit';
import { createLogger } from '../../main/base/log';
import { createAuditLog } from '../../main/store/audit-repository';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { tempDir } from '../support/temp-dir';

function db() {
  const d = openDatabase(join(tempDir('codetether-audit-log-'), 'codetether.db'));
  return { db: d, [Symbol.dispose]: () => closeDatabase(d) };
}

describe('the audit log store', () => {
  it('is append-only: an UPDATE is refused by the database itself', () => {
    using s = db();
    const log = createAuditLog(s.db, { maxBytes: 1 << 20 });
    const entry = log.append({ actor: 'local', action: 'token.created', subject: 't1' });
    expect(() => s.db.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE seq = ?").run(entry.seq)).toThrow(/append-only/);
    expect(log.query()[0]).toMatchObject({ actor: 'local', action: 'token.created', subject: 't1', outcome: 'ok', source: '' });
  });

  it('keeps under its size limit by dropping the oldest entries', () => {
    using s = db();
    const maxBytes = 20_000;
    const log = createAuditLog(s.db, { maxBytes });
    for (let i = 0; i < 1000; i++) log.append({ actor: 'local', action: 'task.created', subject: `task-${i}`, detail: { pad: 'x'.repeat(50) } });
    expect(log.size()).toBeLessThanOrEqual(maxBytes);
    const kept = log.query({ limit: 10_000 });
    expect(kept[0]!.subject).toBe('task-999');
    expect(kept.at(-1)!.subject).not.toBe('task-0');
    // Oldest gone first: what is kept is one unbroken run up to the newest.
    expect(kept.map((e) => e.seq)).toEqual(kept.map((_, i) => kept[0]!.seq - i));
  });

  it('filters by exact and prefix actor and action, outcome, time and subject', () => {
    using s = db();
    const log = createAuditLog(s.db, { maxBytes: 1 << 20 });
    log.append({ at: 1000, actor: 'oidc:alice', action: 'signin' });
    log.append({ at: 2000, actor: 'oidc:bob', action: 'signin', outcome: 'failed' });
    log.append({ at: 3000, actor: 'token:abc', action: 'token.revoked', subject: 'abc' });
    log.append({ at: 4000, actor: 'local', action: 'token.created', subject: 'def' });
    const subjects = (f: Parameters<typeof log.query>[0]) => log.query(f).map((e) => `${e.actor}/${e.action}`);
    expect(subjects({ actor: 'oidc:' })).toEqual(['oidc:bob/signin', 'oidc:alice/signin']);
    expect(subjects({ actor: 'oidc:alice' })).toEqual(['oidc:alice/signin']);
    expect(subjects({ action: 'token.' })).toEqual(['local/token.created', 'token:abc/token.revoked']);
    expect(subjects({ outcome: 'failed' })).toEqual(['oidc:bob/signin']);
    expect(subjects({ since: 2000, until: 3000 })).toEqual(['token:abc/token.revoked', 'oidc:bob/signin']);
    expect(subjects({ subject: 'def' })).toEqual(['local/token.created']);
    // LIKE's wildcards in a filter are plain characters.
    expect(subjects({ actor: '%:' })).toEqual([]);
  });
});

describe('the refusal audit', () => {
  const req = (address: string) => ({ method: 'GET', socket: { remoteAddress: address } }) as unknown as IncomingMessage;

  it('writes the first refusal of a kind per address per window, and reports the rest as suppressed in the next one', () => {
    using s = db();
    const log = createAuditLog(s.db, { maxBytes: 1 << 20 });
    let now = 0;
    const refused = createRefusalAudit(log, createLogger('silent'), { windowMs: 60_000, maxPerWindow: 3, now: () => now });
    const refusal = (address: string, code = 'invalid_token') => refused({ req: req(address), path: '/api/overview', status: 401, code, reason: 'bad token' });
    for (let i = 0; i < 50; i++) refusal('10.0.0.1');
    refusal('10.0.0.1', 'unauthorized');
    expect(log.query().map((e) => e.detail.code)).toEqual(['unauthorized', 'invalid_token']);
    // A scan from many addresses: the window's budget (3) caps it.
    for (let i = 2; i < 100; i++) refusal(`10.0.0.${i}`);
    expect(log.query()).toHaveLength(3);
    now = 61_000;
    refusal('10.0.0.1');
    expect(log.query()[0]).toMatchObject({ source: '10.0.0.1', detail: { code: 'invalid_token', suppressed: 49 } });
  });
});
