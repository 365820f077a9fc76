import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronNativeDir, electronTarget, isNativeCopyCurrent, sqliteAddonName, stampFile } from '../../main/app/native-binding';
import { tempDir } from '../support/temp-dir';

describe('the Electron copy of better-sqlite3', () => {
  it('lives outside node_modules/better-sqlite3, so the Node build the tests load is never replaced', () => {
    expect(electronNativeDir('/p')).toBe(join('/p', 'node_modules', '.electron-native'));
    const target = electronTarget(process.cwd(), '39.8.10');
    expect(target).toMatchObject({ runtime: 'electron', version: '39.8.10', platform: process.platform, arch: process.arch });
    expect(target.moduleVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('is current only when the addon exists and its stamp matches the target exactly', () => {
    const dir = tempDir();
    const target = electronTarget(process.cwd(), '39.8.10');
    expect(isNativeCopyCurrent(dir, target)).toBe(false);

    writeFileSync(join(dir, sqliteAddonName), '');
    writeFileSync(stampFile(dir), JSON.stringify(target));
    expect(isNativeCopyCurrent(dir, target)).toBe(true);
    expect(isNativeCopyCurrent(dir, { ...target, version: '40.0.0' })).toBe(false);
    expect(isNativeCopyCurrent(dir, { ...target, moduleVersion: '0.0.1' })).toBe(false);

    writeFileSync(stampFile(dir), 'not json');
    expect(isNativeCopyCurrent(dir, target)).toBe(false);
  });
});
