import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLifetimeStack } from '../../main/base/lifetime';
import { loadConfig } from '../../main/base/config';
import { createLogger } from '../../main/base/log';
import { startHost } from '../../main/host/host';
import { tempDir } from '../support/temp-dir';

/** Resolves once `port` on 127.0.0.1 can be bound again, i.e. nothing listens on it any more. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function config(dataDir: string, extra: Record<string, unknown> = {}) {
  return loadConfig({ flags: { dataDir, port: 0, mcpPort: 0, logLevel: 'silent', ...extra }, env: {} });
}

describe('the host owns every lifetime', () => {
  it('a step that fails after listen stops what started: both ports are free and the database is closed', async () => {
    const dataDir = tempDir();
    const seen: { a2a?: number; mcp?: number } = {};
    const failing = {
      name: 'a part that cannot start',
      start(host: { urls: { a2a: string; mcp?: string } }) {
        seen.a2a = Number(new URL(host.urls.a2a).port);
        seen.mcp = Number(new URL(host.urls.mcp!).port);
        throw new Error('this part could not start');
      },
    };
    await expect(startHost(config(dataDir), { log: createLogger('silent'), features: [failing] })).rejects.toThrow('this part could not start');
    expect(seen.a2a).toBeGreaterThan(0);
    expect(await canBind(seen.a2a!)).toBe(true);
    expect(await canBind(seen.mcp!)).toBe(true);
    // SQLite removes the WAL file when the last connection to the database closes.
    expect(existsSync(join(dataDir, 'codetether.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'codetether.db-wal'))).toBe(false);
  });

  it('a failure before listen (a command agent named like a built-in) closes the database too', async () => {
    const dataDir = tempDir();
    const bad = config(dataDir, { agents: { opencode: { command: 'true' } } });
    await expect(startHost(bad, { log: createLogger('silent') })).rejects.toThrow('Config "agents.opencode" has the name of a built-in agent');
    expect(existsSync(join(dataDir, 'codetether.db-wal'))).toBe(false);
  });

  it('stops a started part last-in first-out, once, and goes on past a stop that throws', async () => {
    const order: string[] = [];
    const errors: string[] = [];
    const stack = createLifetimeStack((name) => errors.push(name));
    stack.defer('database', () => void order.push('database'));
    stack.defer('server', async () => {
      order.push('server');
      throw new Error('stuck');
    });
    stack.defer('feature', () => void order.push('feature'));
    await Promise.all([stack.dispose(), stack.dispose()]);
    await stack.dispose();
    expect(order).toEqual(['feature', 'server', 'database']);
    expect(errors).toEqual(['server']);
    expect(() => stack.defer('late', () => undefined)).toThrow('began to stop');
  });
});
