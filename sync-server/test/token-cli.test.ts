import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closedByServer, connectClient, synced } from './helpers/clients';
import { tempDir } from '../../test/support/temp-dir';
import { killRelay, spawnRelay } from './helpers/relay-process';

const bin = fileURLToPath(new URL('../bin.js', import.meta.url));

function relayCli(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', input, timeout: 20_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('codetether-relay token', () => {
  const dir = tempDir();
  const other = tempDir();

  it('creates, lists, revokes and adds tokens; stores only their SHA-256', async () => {
    const created = relayCli(['token', 'create', '--workspace', 'acme', '--label', 'laptop', '--data-dir', dir]);
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^ctr_[A-Za-z0-9_-]{43}$/);
    expect(created.err).toContain('shown only this once');

    const db = new Database(join(dir, 'relay.db'), { readonly: true });
    expect(db.prepare('SELECT hash FROM tokens').pluck().all()).toEqual([createHash('sha256').update(token).digest('hex')]);
    db.close();
    expect(readFileSync(join(dir, 'relay.db')).includes(token)).toBe(false);

    const listed = relayCli(['token', 'list', '--data-dir', dir]);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^1\tacme\t\S+\tactive\tlaptop$/m);
    expect(listed.out).not.toContain(token);

    // The same token on a second relay's data dir, as a Redis-sharing deployment needs.
    expect(relayCli(['token', 'add', '--workspace', 'acme', '--data-dir', other], token + '\n').code).toBe(0);
    const relay = await spawnRelay(other);
    try {
      const ok = connectClient(relay.url, 'acme/doc', token);
      await synced(ok);
      ok.destroy();

      const revoked = relayCli(['token', 'revoke', '1', '--data-dir', other]);
      expect(revoked).toMatchObject({ code: 0, out: 'Revoked token 1.\n' });
      const refused = connectClient(relay.url, 'acme/doc', token);
      expect((await closedByServer(refused)).code).toBe(4401);
      refused.destroy();
    } finally {
      await killRelay(relay, 'SIGTERM');
    }
    expect(relayCli(['token', 'list', '--data-dir', other]).out).toMatch(/^1\tacme\t\S+\trevoked \S+\t$/m);
    expect(relayCli(['token', 'revoke', '1', '--data-dir', other]).code).toBe(1);
  });

  it('rejects bad input with usage and exit code 2', () => {
    expect(relayCli(['token', 'create', '--data-dir', dir]).code).toBe(2);
    expect(relayCli(['token', 'create', '--workspace', 'no/slash', '--data-dir', dir]).code).toBe(2);
    expect(relayCli(['token', 'revoke', 'abc', '--data-dir', dir]).code).toBe(2);
    expect(relayCli(['serve']).code).toBe(2);
    expect(relayCli(['serve', '--data-dir', dir, '--port', 'x']).code).toBe(2);
    expect(relayCli(['bogus']).code).toBe(2);
    expect(relayCli(['--help'])).toMatchObject({ code: 0 });
  });
});
