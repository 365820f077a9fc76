import { describe, expect, it } from 'vitest';
import { validatePrd } from '../../main/ralph/prd';
import { runCommand } from '../../main/ralph/run-command';
import { splitCommand } from '../../main/ralph/words';
import { tempDir } from '../support/temp-dir';

const story = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: `T ${id}`, ...extra });
const errorsOf = (input: unknown) => {
  const r = validatePrd(input);
  return r.ok ? [] : r.errors;
};

describe('PRD validation', () => {
  it('accepts the common prd.json format plus qualityChecks and verify, with defaults filled in', () => {
    const r = validatePrd(JSON.stringify({ project: 'P', branchName: 'ralph/p', description: 'd', qualityChecks: { test: 'npm test' }, userStories: [story('US-1', { verify: ['node -e "process.exit(0)"', { command: 'npm run x', expectOutput: 'ok' }], passes: false, extra: 1 })] }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.userStories[0]).toMatchObject({ id: 'US-1', priority: 1, dependsOn: [], acceptanceCriteria: [], description: '', extra: 1 });
  });

  it('names every problem: missing branch, empty stories, duplicates, unknown and self dependencies, cycles, bad commands', () => {
    expect(errorsOf({ project: 'P', userStories: [] })).toEqual(['branchName: branchName is required: the branch the run works on', 'userStories: userStories is empty: a PRD needs at least one story']);
    expect(errorsOf({ project: 'P', branchName: 'a b', userStories: [story('X')] })).toEqual(['branchName: branchName is not a name git accepts for a branch']);
    expect(errorsOf({ project: 'P', branchName: 'b', userStories: [story('A'), story('A')] })).toEqual(['userStories: duplicate story id "A"']);
    expect(errorsOf({ project: 'P', branchName: 'b', userStories: [story('A', { dependsOn: ['Z', 'A'] })] })).toEqual([
      'userStories[0].dependsOn: unknown story "Z" (stories: A)',
      'userStories[0].dependsOn: story "A" depends on itself',
    ]);
    expect(errorsOf({ project: 'P', branchName: 'b', userStories: [story('A', { dependsOn: ['C'] }), story('B', { dependsOn: ['A'] }), story('C', { dependsOn: ['B'] })] })).toEqual(['userStories: dependency cycle A -> C -> B -> A']);
    expect(errorsOf({ project: 'P', branchName: 'b', qualityChecks: { t: 'npm test && npm run lint' }, userStories: [story('A', { verify: ['FOO=1 npm test'] })] })).toEqual([
      'userStories[0].verify[0]: "FOO=1 npm test" starts with a variable assignment, which needs a shell: use env FOO=1 npm test or sh -c \'...\'',
      'qualityChecks.t: "npm test && npm run lint" uses the shell operator "&&", and commands run without a shell. Name one: sh -c \'npm test && npm run lint\'',
    ]);
    expect(errorsOf('{not json')[0]).toMatch(/^prd is not valid JSON/);
    expect(errorsOf({ project: 'P', branchName: 'b', userStories: [{ title: 'no id' }] })).toEqual(['userStories[0].id: Invalid input: expected string, received undefined']);
  });
});

describe('commands', () => {
  it('split into words the way a shell splits them, without a shell', () => {
    expect(splitCommand('node -e "process.exit(1)"')).toEqual({ ok: true, argv: ['node', '-e', 'process.exit(1)'] });
    expect(splitCommand(`sh -c 'a | b' x\\ y "$HOME" *.ts`)).toEqual({ ok: true, argv: ['sh', '-c', 'a | b', 'x y', '$HOME', '*.ts'] });
    expect(splitCommand('  ').ok).toBe(false);
  });

  it('run with exit codes, kept output, a timeout that ends the whole process group, and a clear error for a missing program', async () => {
    const cwd = tempDir();
    const ok = await runCommand(`node -e "console.log('out'); console.error('err'); process.exit(3)"`, { cwd, timeoutMs: 10_000 });
    expect(ok).toMatchObject({ exitCode: 3, timedOut: false, error: null });
    expect(ok.output).toContain('out\n');
    expect(ok.output).toContain('err\n');
    const slow = await runCommand(`sh -c 'sleep 30 & sleep 30'`, { cwd, timeoutMs: 300 });
    expect(slow.timedOut).toBe(true);
    expect(slow.error).toBe('timed out after 300 ms');
    expect(slow.durationMs).toBeLessThan(5000);
    const big = await runCommand(`node -e "process.stdout.write('x'.repeat(200000) + 'END')"`, { cwd, timeoutMs: 10_000, keepBytes: 1000 });
    expect(big.output.startsWith('[earlier output dropped]\n')).toBe(true);
    expect(big.output.endsWith('END')).toBe(true);
    const missing = await runCommand('no-such-program-xyz --flag', { cwd, timeoutMs: 1000 });
    expect(missing).toMatchObject({ exitCode: null, error: `"no-such-program-xyz" was not found on PATH or in ${cwd}` });
  });
});
