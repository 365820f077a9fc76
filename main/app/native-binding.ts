import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * better-sqlite3 links against V8 directly (not N-API), so its addon only loads in the runtime
 * it was built for. npm builds it for Node (tests, `codetether serve`); the desktop app loads a
 * second copy built for Electron from here, so neither breaks the other.
 */
export function electronNativeDir(root: string): string {
  return join(root, 'node_modules', '.electron-native');
}

export const sqliteAddonName = 'better_sqlite3.node';

/** What a built addon is good for; a copy whose stamp differs is rebuilt. */
export interface NativeTarget {
  runtime: 'electron' | 'node';
  version: string;
  platform: string;
  arch: string;
  /** The better-sqlite3 version whose sources were compiled. */
  moduleVersion: string;
}

export function stampFile(dir: string): string {
  return join(dir, 'better_sqlite3.json');
}

export function isNativeCopyCurrent(dir: string, target: NativeTarget): boolean {
  if (!existsSync(join(dir, sqliteAddonName)) || !existsSync(stampFile(dir))) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampFile(dir), 'utf8')) as Partial<NativeTarget>;
    return (Object.keys(target) as (keyof NativeTarget)[]).every((key) => stamp[key] === target[key]);
  } catch {
    return false;
  }
}

/** The target for this machine's Electron, built from the better-sqlite3 sources installed in `root`. */
export function electronTarget(root: string, electronVersion: string): NativeTarget {
  const pkg = createRequire(join(root, 'package.json'))('better-sqlite3/package.json') as { version: string };
  return { runtime: 'electron', version: electronVersion, platform: process.platform, arch: process.arch, moduleVersion: pkg.version };
}
