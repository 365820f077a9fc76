import { createServer } from 'node:net';
import { freePort } from '../support/free-port';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readRuntime } from '../../main/base/runtime-file';
import { spawnCli } from '../support/cli-process';
import { tempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';

const run = (args: string[]) => spawnCli(args, { env: { ...process.env, CODETETHER_LOG_LEVEL: 'warn' } });

describe('codetether serve', () => {
  // The 2 s targets for start and stop are measured by `npm run bench -- --only startup`;
  // here the behaviour: it answers, prints its URLs, and stops cleanly.
  it('answers /healthz, prints its URLs, and on SIGTERM exits 0 leaving a clean database', async () => {
    const dataDir = tempDir();
    const p = run(['serve', '--port', '0', '--data-dir', dataDir]);
    const url = await waitFor(() => /Health:\s+(\S+)/.exec(p.stdout())?.[1], 15_000, 'the health URL');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' });
    expect(p.stdout()).toContain('A2A:');

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);

    const db = new Database(join(dataDir, 'codetether.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBeGreaterThan(0);
    db.close();
  });

  it('stops cleanly on a SIGTERM that arrives while it is still starting', async () => {
    const port = await freePort();
    const p = run(['serve', '--port', String(port), '--data-dir', tempDir()]);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200, 15_000, 'the host to answer /healthz');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('exits non-zero with a clear message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const p = run(['serve', '--port', String(port), '--data-dir', tempDir()]);
      expect(await p.exited).toBe(1);
      expect(p.stderr()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('writes host.json with the ports it really bound while it runs, and removes it when it stops', async () => {
    const dataDir = tempDir();
    const p = run(['serve', '--port', '0', '--mcp-port', '0', '--data-dir', dataDir]);
    const health = await waitFor(() => /Health:\s+(\S+)/.exec(p.stdout())?.[1], 15_000);
    const runtime = readRuntime(dataDir);
    expect(runtime).toMatchObject({ pid: p.child.pid, origin: new URL(health).origin, mcp: /MCP:\s+(\S+)/.exec(p.stdout())?.[1] });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(existsSync(join(dataDir, 'host.json'))).toBe(false);
    // A file a killed host left behind names a pid that is gone: it is no running host.
    writeFileSync(join(dataDir, 'host.json'), JSON.stringify({ ...runtime, pid: 2 ** 22 + 1 }));
    expect(readRuntime(dataDir)).toBeUndefined();
  });

  it('says in its banner why there is no MCP endpoint when the MCP port is taken, and serves the rest', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const mcpPort = (blocker.address() as { port: number }).port;
    try {
      const p = run(['serve', '--port', '0', '--mcp-port', String(mcpPort), '--data-dir', tempDir()]);
      const line = await waitFor(() => /MCP: +(.+)/.exec(p.stdout())?.[1], 15_000);
      expect(line).toBe(`not available: Cannot start the MCP server: port ${mcpPort} on 127.0.0.1 is already in use. Stop the other process or choose another port (--mcp-port / CODETETHER_MCP_PORT; 0 picks a free one).`);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      blocker.close();
    }
  });

  it('rejects bad flags and bad config with the key named', async () => {
    const bad = run(['serve', '--port', 'abc', '--data-dir', tempDir()]);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toMatch(/"port".*--port/);

    const unknown = run(['serve', '--nope']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr()).toContain("Unknown option '--nope'");
  });

  it('prints help and version', async () => {
    const help = run(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain('serve');
    const version = run(['--version']);
    expect(await version.exited).toBe(0);
    expect(version.stdout().trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
