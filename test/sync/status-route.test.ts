import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createTokenStore } from '../../main/auth/token-store';
import { loadConfig } from '../../main/host/config';
import { startHost, type Host } from '../../main/host/host';
import { createLogger } from '../../main/host/log';

let host: Host | undefined;
let dir: string | undefined;

afterEach(async () => {
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  host = dir = undefined;
});

it('GET /sync/status goes through the auth guard: the read scope suffices, others do not', async () => {
  dir = mkdtempSync(join(tmpdir(), 'ct-sync-status-'));
  host = await startHost(loadConfig({ flags: { dataDir: dir, port: 0, mcpPort: 0, logLevel: 'silent', requireAuth: true }, env: {} }), { log: createLogger('silent') });
  const tokens = createTokenStore(host.db);
  const mint = (name: string, scopes: ('read' | 'a2a' | 'mcp')[]) => {
    const created = tokens.create({ name, scopes });
    if (!created.ok) throw new Error('token name taken');
    return created.token;
  };
  const url = host.urls.health.replace(/\/healthz$/, '/sync/status');
  const get = (token?: string) => fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  expect((await get()).status).toBe(401);
  expect((await get(mint('mcp-only', ['mcp']))).status).toBe(403);
  const reader = await get(mint('reader', ['read']));
  expect(reader.status).toBe(200);
  expect(await reader.json()).toMatchObject({ state: 'not-paired', pending: 0 });
  expect((await get(mint('client', ['a2a']))).status).toBe(200);
});
