import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { needsMonitorBuild } from '../../main/app/build-freshness';
import { findElectron } from '../../main/app/electron-binary';
import { servedUrls, spawnCli } from '../support/cli-process';
import { tempDir } from '../support/temp-dir';

const root = process.cwd();

describe.skipIf(findElectron(root) !== undefined)('codetether desktop without the Electron binary', () => {
  it('says so in one line, then serves the headless host with a working monitor and exits 0 on SIGTERM', async () => {
    // What `npm install` leaves (its prepare step builds out/); a checkout edited since gets it built here.
    if (needsMonitorBuild(root)) expect(spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' }).status).toBe(0);
    const desktop = spawnCli(['desktop', '--port', '0', '--data-dir', tempDir()], { env: { ...process.env, CODETETHER_LOG_LEVEL: 'warn' } });
    const { health } = await servedUrls(desktop);
    const res = await fetch(health);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
    const monitor = await fetch(new URL('/', health));
    expect(monitor.status).toBe(200);
    expect(await monitor.text()).toMatch(/<div id="root">/);

    const err = desktop.stderr();
    const notice = err.split('\n').filter((line) => /Electron binary is missing/.test(line));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatch(/headless host instead/);
    expect(err.trim().split('\n')).toHaveLength(1);

    desktop.child.kill('SIGTERM');
    expect(await desktop.exited).toBe(0);
  });
});
