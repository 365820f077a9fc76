import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { readRuntime } from '../../main/base/runtime-file';
import { tempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';

const bin = join(process.cwd(), 'main/cli/bin.js');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CODETETHER_LOG_LEVEL: 'warn' } });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('codetether serve', () => {
  // The 2 s targets for start and stop are measured by `npm run bench -- --only startup`;
  // here the behaviour: it answers, prints its URLs, and stops cleanly.
  it('answers /healthz, prints its URLs, and on SIGTERM exits 0 leaving a clean database', async () => {
    const dataDir = tempDir();
    const p = run(['serve', '--port', '0', '--data-dir', dataDir]);
    const url = await waitFor(() => /Health:\s+(\S+)/.exec(p.out())?.[1], 15_000, 'the health URL');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' });
    expect(p.out()).toContain('A2A:');

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
      expect(p.err()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('writes host.json with the ports it really bound while it runs, and removes it when it stops', async () => {
    const dataDir = tempDir();
    const p = run(['serve', '--port', '0', '--mcp-port', '0', '--data-dir', dataDir]);
    const health = await waitFor(() => /Health:\s+(\S+)/.exec(p.out())?.[1], 15_000);
    const runtime = readRuntime(dataDir);
    expect(runtime).toMatchObject({ pid: p.child.pid, origin: new URL(health).origin, mcp: /MCP:\s+(\S+)/.exec(p.out())?.[1] });
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
      const line = await waitFor(() => /MCP: +(.+)/.exec(p.out())?.[1], 15_000);
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
    expect(bad.err()).toMatch(/"port".*--port/);

    const unknown = run(['serve', '--nope']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.err()).toContain("Unknown option '--nope'");
  });

  it('prints help and version', async () => {
    const help = run(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.out()).toContain('serve');
    const version = run(['--version']);
    expect(await version.exited).toBe(0);
    expect(version.out().trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
