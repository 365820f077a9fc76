import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { needsMonitorBuild } from '../../main/app/build-freshness';
import { findElectron } from '../../main/app/electron-binary';
import { tempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';

const root = process.cwd();
const kill: (() => void)[] = [];
afterEach(() => kill.splice(0).forEach((k) => k()));

describe.skipIf(findElectron(root) !== undefined)('codetether desktop without the Electron binary', () => {
  it('says so in one line, then serves the headless host with a working monitor and exits 0 on SIGTERM', async () => {
    // What `npm install` leaves (its prepare step builds out/); a checkout edited since gets it built here.
    if (needsMonitorBuild(root)) expect(spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' }).status).toBe(0);
    const child = spawn(process.execPath, [join(root, 'main/cli/bin.js'), 'desktop', '--port', '0', '--data-dir', tempDir()], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CODETETHER_LOG_LEVEL: 'warn' },
    });
    kill.push(() => child.exitCode === null && child.kill('SIGKILL'));
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const health = await waitFor(() => /Health:\s+(\S+)/.exec(out)?.[1], 30_000, 'the health URL');
    const res = await fetch(health);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
    const monitor = await fetch(new URL('/', health));
    expect(monitor.status).toBe(200);
    expect(await monitor.text()).toMatch(/<div id="root">/);

    const notice = err.split('\n').filter((line) => /Electron binary is missing/.test(line));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatch(/headless host instead/);
    expect(err.trim().split('\n')).toHaveLength(1);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
