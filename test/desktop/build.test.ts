import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';

const root = process.cwd();

describe('electron-vite build', () => {
  it('bundles main (ESM, deps external), a sandbox-ready CJS preload and the renderer with its CSP, without the Electron binary', () => {
    // A temp outDir so a concurrent `npm run build` or a running app's out/ is left alone.
    const outDir = tempDir('codetether-build-');
    const bin = join(root, 'node_modules/electron-vite/bin/electron-vite.js');
    const result = spawnSync(process.execPath, [bin, 'build', '--outDir', outDir, '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);

    const main = readFileSync(join(outDir, 'main/index.js'), 'utf8');
    expect(main).toMatch(/from "electron"/);
    expect(main).toMatch(/from "better-sqlite3"/);
    expect(main).toContain('startHost');

    const preload = readFileSync(join(outDir, 'preload/index.cjs'), 'utf8');
    expect(preload).toContain('require("electron")');
    expect(preload).toContain('exposeInMainWorld("codetether"');
    expect(preload).not.toMatch(/^import /m);
    // A sandboxed preload cannot require anything but electron (and a few Node built-ins).
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);

    const html = readFileSync(join(outDir, 'renderer/index.html'), 'utf8');
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).toMatch(/script-src &#39;self&#39;;/);
    expect(html).toMatch(/src="\.\/assets\/index-[\w-]+\.js"/);
  });
});
