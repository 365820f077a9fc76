import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { needsBuild } from '../../main/app/build-freshness';
import { configSchema } from '../../main/base/config-schema';
import { startHost, type Host } from '../../main/host/host';

const root = process.cwd();

/** Debian's chromium (installed by .ci/run); Playwright never downloads a browser here. */
export const chromiumPath = process.env.CODETETHER_CHROMIUM ?? '/usr/bin/chromium';

export const screenshotDir = join(root, 'test-results', 'screenshots');

/**
 * The built monitor: out/renderer when it is newer than every source, else a fresh
 * `electron-vite build` into a temp dir (a second or two), so a stale out/ is never tested.
 */
export function builtMonitor(): { dir: string; cleanup(): void } {
  if (!needsBuild(root)) return { dir: join(root, 'out/renderer'), cleanup() {} };
  const outDir = mkdtempSync(join(tmpdir(), 'codetether-monitor-'));
  const bin = join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  const result = spawnSync(process.execPath, [bin, 'build', '--outDir', outDir, '--logLevel', 'error'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stderr}${result.stdout}`);
  return { dir: join(outDir, 'renderer'), cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}

/**
 * Headless Chromium with the flags this machine needs (no sandbox as root, no background
 * traffic). Playwright gives each launch a fresh temp profile (it refuses --user-data-dir).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function ensureScreenshotDir(): string {
  mkdirSync(screenshotDir, { recursive: true });
  return screenshotDir;
}

export interface MonitorHost {
  host: Host;
  /** The host's origin, where the monitor is served. */
  base: string;
  browser: Browser;
  dataDir: string;
}

/**
 * A real host on a temp data dir (`config` added to the test defaults) serving the built
 * monitor, and headless Chromium: started before the file's tests, stopped and removed after.
 */
export function useMonitorHost(prefix: string, config: Record<string, unknown> = {}): MonitorHost {
  const env = {} as MonitorHost;
  let monitor: ReturnType<typeof builtMonitor> | undefined;
  beforeAll(async () => {
    monitor = builtMonitor();
    env.dataDir = mkdtempSync(join(tmpdir(), prefix));
    const parsed = configSchema.parse({ dataDir: env.dataDir, port: 0, mcpPort: 0, logLevel: 'silent', shutdownGraceMs: 200, ...config });
    env.host = await startHost(parsed, { monitorDir: monitor.dir });
    env.base = new URL(env.host.urls.health).origin;
    env.browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.host?.stop();
    monitor?.cleanup();
    if (env.dataDir) rmSync(env.dataDir, { recursive: true, force: true });
  });
  return env;
}
