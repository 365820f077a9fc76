import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { whenDone } from './cleanup';

/** Removes a dir and all in it; retries, as a process the test just stopped may still be closing files there. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
}

/**
 * A fresh temp dir, removed when the current test finishes, or, made outside a test (a
 * beforeAll, a describe body), when the test file is done.
 */
export function tempDir(prefix = 'codetether-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  whenDone(() => removeDir(dir));
  return dir;
}
