import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectron } from '../../main/app/electron-binary';
import { tempDir } from '../support/temp-dir';

/** A project whose node_modules/electron is the real npm package, with or without its download. */
function project(downloaded: boolean): string {
  const dir = tempDir();
  const electron = join(dir, 'node_modules', 'electron');
  mkdirSync(electron, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"p","private":true}');
  for (const file of ['index.js', 'package.json']) copyFileSync(join(process.cwd(), 'node_modules/electron', file), join(electron, file));
  if (downloaded) {
    writeFileSync(join(electron, 'path.txt'), 'electron');
    mkdirSync(join(electron, 'dist'));
    writeFileSync(join(electron, 'dist', 'electron'), '');
  }
  return dir;
}

describe('findElectron', () => {
  it('is undefined when the package was installed with ELECTRON_SKIP_BINARY_DOWNLOAD', () => {
    expect(findElectron(project(false))).toBeUndefined();
  });

  it('finds the downloaded binary and its version', () => {
    const dir = project(true);
    const found = findElectron(dir);
    expect(found?.binary).toBe(join(dir, 'node_modules/electron/dist/electron'));
    expect(found?.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is undefined when there is no electron package at all', () => {
    expect(findElectron(tempDir())).toBeUndefined();
  });
});
