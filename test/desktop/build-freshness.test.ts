import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOutputs, needsBuild, needsMonitorBuild } from '../../main/app/build-freshness';
import { tempDir } from '../support/temp-dir';

function touch(root: string, file: string, seconds: number): void {
  const path = join(root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  // Creating a file bumps its folders' mtimes to now; set them too so only `seconds` counts.
  for (let p = path; p !== root; p = dirname(p)) utimesSync(p, seconds, seconds);
}

describe('needsBuild', () => {
  it('is true until every bundle exists, false when all are newer than the sources, true after a source edit', () => {
    const root = tempDir();
    touch(root, 'main/app/index.ts', 1000);
    touch(root, 'renderer/src/App.tsx', 1000);
    touch(root, 'package.json', 1000);
    expect(needsBuild(root)).toBe(true);

    for (const out of buildOutputs) touch(root, out, 2000);
    expect(needsBuild(root)).toBe(false);

    touch(root, 'renderer/src/App.tsx', 3000);
    expect(needsBuild(root)).toBe(true);
  });

  it('for the monitor alone, minds the page and its sources, not the main process', () => {
    const root = tempDir();
    touch(root, 'main/app/index.ts', 1000);
    touch(root, 'renderer/src/App.tsx', 1000);
    touch(root, 'package.json', 1000);
    expect(needsMonitorBuild(root)).toBe(true);
    touch(root, 'out/renderer/index.html', 2000);
    expect(needsMonitorBuild(root)).toBe(false);
    touch(root, 'main/app/index.ts', 3000);
    expect(needsMonitorBuild(root)).toBe(false);
    touch(root, 'shared/monitor-api.ts', 3000);
    expect(needsMonitorBuild(root)).toBe(true);
  });

  it('ignores node_modules and dot folders inside the sources', () => {
    const root = tempDir();
    touch(root, 'main/app/index.ts', 1000);
    for (const out of buildOutputs) touch(root, out, 2000);
    touch(root, 'main/node_modules/x.js', 3000);
    touch(root, 'renderer/.vite/cache.json', 3000);
    utimesSync(join(root, 'main'), 1000, 1000);
    utimesSync(join(root, 'renderer'), 1000, 1000);
    expect(needsBuild(root)).toBe(false);
  });
});
