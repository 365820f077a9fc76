import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { AuditEntryView, OAuthClientInfo } from '../../shared/identity-api';
import { spawnCli } from '../support/cli-process';
import { tempDir } from '../support/temp-dir';

async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnCli(args, { env: { ...process.env, NO_COLOR: '1' } });
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

describe('codetether oauth and codetether audit', () => {
  it('registers a confidential client, records CLI actions as the local user, and filters the log as text and JSON', async () => {
    const dataDir = tempDir('codetether-audit-cli-');
    const me = `cli:${userInfo().username}`;

    const token = await cli('token', 'create', '--name', 'ci', '--scopes', 'read', '--data-dir', dataDir);
    expect(token.code).toBe(0);

    const added = await cli('oauth', 'client', 'add', '--name', 'Zapier', '--redirect-uri', 'https://zapier.com/dashboard/auth/oauth/return/App1CLIAPI/', '--data-dir', dataDir);
    expect(added.code, added.stderr).toBe(0);
    const clientId = /^client_id: (\S+)$/m.exec(added.stdout)?.[1];
    expect(/^client_secret: \S{43}$/m.test(added.stdout)).toBe(true);
    expect(added.stderr).toMatch(/Issuer: http:\/\/127\.0\.0\.1:8000\/oauth/);
    expect(added.stderr).toMatch(/token: http:\/\/127\.0\.0\.1:8000\/oauth\/token/);

    const refused = await cli('oauth', 'client', 'add', '--name', 'Bad', '--redirect-uri', 'http://example.com/cb', '--data-dir', dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/must use https \(plain http only for 127\.0\.0\.1/);

    const listed = await cli('oauth', 'client', 'list', '--json', '--data-dir', dataDir);
    expect((JSON.parse(listed.stdout) as OAuthClientInfo[]).map((c) => [c.id, c.name, c.confidential])).toEqual([[clientId, 'Zapier', true]]);

    const json = await cli('audit', '--json', '--actor', 'cli:', '--since', '1h', '--data-dir', dataDir);
    expect(json.code).toBe(0);
    const entries = JSON.parse(json.stdout) as AuditEntryView[];
    expect(entries.map((e) => [e.actor, e.action])).toEqual([
      [me, 'token.created'],
      [me, 'oauth.client.registered'],
    ]);
    expect(entries[1]).toMatchObject({ subject: clientId, detail: { name: 'Zapier', confidential: true, via: 'cli' } });

    const text = await cli('audit', '--action', 'oauth.', '--data-dir', dataDir);
    expect(text.stdout.split('\n')[0]).toMatch(/^TIME\s+ACTOR\s+ACTION\s+SUBJECT\s+SOURCE\s+OUTCOME\s+DETAIL/);
    expect(text.stdout).toContain('oauth.client.registered');
    expect(text.stdout).not.toContain('token.created');

    const bad = await cli('audit', '--since', 'yesterday', '--data-dir', dataDir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since takes a duration back from now/);
  }, 180_000);
});
