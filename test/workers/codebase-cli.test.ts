import { execFile } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../main/cli/bin.js');

async function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'codebase', ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('codetether codebase', () => {
  it('adds, lists and removes codebases, storing the resolved absolute path', async () => {
    const root = tempDir();
    const data = join(root, 'data');
    mkdirSync(join(root, 'repo'));
    symlinkSync(join(root, 'repo'), join(root, 'link'));
    writeFileSync(join(data + '-config.json'), JSON.stringify({ agents: { mine: { command: 'true' } } }));

    const added = await cli(root, 'add', 'app', 'link', '--agent', 'echo', '--allow', 'echo,mine', '--data-dir', data, '--config', data + '-config.json');
    expect(added).toMatchObject({ code: 0, stdout: '' });
    expect(added.stderr).toContain(`Registered codebase "app" at ${realpathSync(join(root, 'repo'))}`);
    expect((await cli(root, 'add', 'lib.v2', join(root, 'repo'), '--data-dir', data)).code).toBe(0);
    // The built-in coding agents are agents of every host, whether or not their CLI is installed yet.
    const coding = await cli(root, 'add', 'web', join(root, 'repo'), '--agent', 'opencode', '--data-dir', data);
    expect(coding).toMatchObject({ code: 0 });
    expect((await cli(root, 'remove', 'web', '--data-dir', data)).code).toBe(0);

    const listed = JSON.parse((await cli(root, 'list', '--json', '--data-dir', data)).stdout) as Record<string, unknown>[];
    expect(listed.map(({ createdAt: _, ...rest }) => rest)).toEqual([
      { name: 'app', path: realpathSync(join(root, 'repo')), defaultAgent: 'echo', allowedAgents: ['echo', 'mine'], onThisDevice: true, elsewhere: [] },
      { name: 'lib.v2', path: realpathSync(join(root, 'repo')), defaultAgent: null, allowedAgents: [], onThisDevice: true, elsewhere: [] },
    ]);
    const table = (await cli(root, 'list', '--data-dir', data)).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME\s+PATH\s+DEFAULT AGENT\s+ALLOWED AGENTS\s+WHERE$/);
    expect(table[2]).toMatch(/^lib\.v2\s+\S+\s+-\s+any\s+here$/);

    const dup = await cli(root, 'add', 'app', root, '--data-dir', data);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('A codebase named "app" is already registered');

    expect((await cli(root, 'remove', 'app', '--data-dir', data)).code).toBe(0);
    const gone = await cli(root, 'remove', 'app', '--data-dir', data);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('no codebase named "app"');
    expect(JSON.parse((await cli(root, 'list', '--json', '--data-dir', data)).stdout)).toHaveLength(1);
  });

  it('refuses a missing path, a file, a bad name and an unknown agent with clear errors', async () => {
    const root = tempDir();
    const data = join(root, 'data');
    writeFileSync(join(root, 'file.txt'), 'x');

    const missing = await cli(root, 'add', 'a', join(root, 'nope'), '--data-dir', data);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`Cannot register codebase "a": ${join(root, 'nope')} does not exist.`);

    const file = await cli(root, 'add', 'a', 'file.txt', '--data-dir', data);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain(`${join(root, 'file.txt')} is not a directory.`);

    const badName = await cli(root, 'add', 'My App', root, '--data-dir', data);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('Codebase name "My App" is invalid');

    const agent = await cli(root, 'add', 'a', root, '--agent', 'nobody', '--data-dir', data);
    expect(agent.code).toBe(1);
    expect(agent.stderr).toContain('Unknown agent "nobody". Agents on this host: echo, rlm, ralph, opencode, claude, codex, gemini.');

    expect((await cli(root, 'add', 'a', '--data-dir', data)).code).toBe(2);
    const empty = await cli(root, 'list', '--data-dir', data);
    expect(empty.stderr).toContain('codetether codebase add NAME PATH');
  });
});
