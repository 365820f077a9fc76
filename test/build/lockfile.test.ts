import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';

const root = process.cwd();

describe('package-lock.json', () => {
  it('holds every platform package of every optional dependency, so `npm ci` works on any machine', () => {
    const dir = tempDir();
    copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
    copyFileSync(join(root, 'package-lock.json'), join(dir, 'package-lock.json'));
    // --dry-run checks that the lock matches package.json's whole tree without installing anything.
    const ci = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
    expect(ci.status, `${ci.stderr}\nIf packages are "Missing from lock file", run: node build/lock-platforms.js`).toBe(0);
  });
});
