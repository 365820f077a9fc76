import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive } from './processes';
import { tempDir } from './temp-dir';

const root = join(import.meta.dirname, '../..');
const config = join(root, 'test/fixtures/temp-dir/vitest.config.ts');

/** A vitest run of one fixture case, its temp files under `tmp`. */
function runCase(name: string, tmp: string): Promise<{ code: number | null; output: string }> {
  const bin = join(root, 'node_modules/vitest/vitest.mjs');
  const child = spawn(process.execPath, [bin, 'run', '--config', config, name], { cwd: root, env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('the test run guard (test/support/global-setup.ts)', () => {
  it('passes a run whose temp dirs, made in tests, hooks and describe bodies, are all removed', async () => {
    const tmp = tempDir();
    const run = await runCase('clean', tmp);
    expect(run.output).toContain('2 passed');
    expect(run.code).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('fails a run that leaves a temp dir or a process behind, lists them and ends the process', async () => {
    const tmp = tempDir();
    const run = await runCase('leaks', tmp);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/temp dir left behind: codetether-leak-/);
    const pid = Number(/leaked pid (\d+)/.exec(run.output)?.[1]);
    expect(run.output).toContain(`process left running (now killed): ${pid} `);
    expect(alive(pid)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
