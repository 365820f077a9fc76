import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../main/base/config';
import { createLogger } from '../../main/base/log';
import { startHost } from '../../main/host/host';
import { tempDir } from '../support/temp-dir';

/** A read-only tmpfs at `dir`, or undefined where this machine does not let the test mount one. */
function readOnlyMount(dir: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  onTestFinished(() => void execFileSync('umount', [dir], { stdio: 'ignore' }));
  return dir;
}

describe('a data dir on a read-only file system', () => {
  it('stops the host with a message that says the file system is read-only, not ENOENT', async (ctx) => {
    const dir = join(tempDir(), 'ro');
    mkdirSync(dir);
    if (!readOnlyMount(dir)) return ctx.skip('mounting a tmpfs needs root and mount(8); not available here');
    const config = loadConfig({ flags: { dataDir: join(dir, 'codetether'), port: 0, mcpPort: 0, logLevel: 'silent' }, env: {} });
    const err = await startHost(config, { log: createLogger('silent') }).then(() => undefined, (e: Error) => e);
    expect(err?.message).toContain(`${join(dir, 'codetether')} is on a read-only file system`);
    expect(err?.message).toContain('--data-dir');
    expect(err?.message).not.toContain('ENOENT');
  });
});
