import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished, TestRunner } from 'vitest';

/** Dirs made outside a running test; the setup file (test/support/setup.ts) removes them when the test file is done. */
const fileDirs = new Set<string>();

function removeDir(dir: string): void {
  // Retries: a process the test just stopped may still be closing files in it.
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
}

/**
 * A fresh temp dir. Made inside a test (or its beforeEach), it is removed when that test
 * finishes; made anywhere else (a beforeAll, a describe body), when the test file is done.
 * An afterEach registered from inside a test is never run, hence onTestFinished.
 */
export function tempDir(prefix = 'codetether-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (TestRunner.getCurrentTest()) onTestFinished(() => removeDir(dir));
  else fileDirs.add(dir);
  return dir;
}

/** Removes the dirs made outside a test; the setup file calls it after each test file. */
export function removeFileDirs(): void {
  for (const dir of fileDirs) removeDir(dir);
  fileDirs.clear();
}
