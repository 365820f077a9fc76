import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { RunView } from '../../shared/ralph-api';
import { waitFor } from '../support/wait';
import { api, branchCommits, prd, ralphHost, waitRun } from './support';

const bin = join(process.cwd(), 'main/cli/bin.js');

function cli(args: string[], cwd: string) {
  const child = spawn(process.execPath, [bin, 'ralph', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const code = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { child, code, out: () => out, err: () => err };
}

describe('codetether ralph', () => {
  it('runs a prd.json and follows it live to its end, then lists, shows, logs it and refuses to cancel an ended run', async () => {
    const { base, dir, repo } = await ralphHost({ 'US-1': [{ files: { 'a.txt': 'A\n' } }], 'US-2': [{ files: { 'b.txt': 'B\n' } }] });
    writeFileSync(join(dir, 'prd.json'), JSON.stringify(prd([{ id: 'US-1' }, { id: 'US-2', dependsOn: ['US-1'] }])));
    const run = cli(['run', 'prd.json', '--codebase', 'app', '--agent', 'scripted', '--max-iterations', '6', '--url', base], dir);
    expect(await run.code).toBe(0);
    const out = run.out();
    expect(out).toMatch(/^Run \S+: 2 stories of "Demo" on branch ralph\/demo \(agent scripted, sequential\)\./);
    expect(out).toContain('US-1 attempt 1: Story 1');
    expect(out).toContain('US-1 passed');
    expect(out).toContain('US-2 passed');
    expect(out).toContain('2 of 2 stories passed on branch ralph/demo.');
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^Run \S+: completed$/);
    expect(branchCommits(repo, 'ralph/demo')).toHaveLength(2);
    const id = /^Run (\S+):/.exec(out)![1]!;

    const list = cli(['list', '--url', base], dir);
    expect(await list.code).toBe(0);
    expect(list.out()).toMatch(new RegExp(`${id}\\s+completed\\s+2/2\\s+Demo\\s+ralph/demo`));
    const status = cli(['status', id, '--url', base], dir);
    expect(await status.code).toBe(0);
    expect(status.out()).toContain(`Run ${id}: completed, 2/2 stories passed, 2 of 6 iterations`);
    expect(status.out()).toMatch(/US-2\s+passed\s+1\s+[0-9a-f]{10}/);
    const logs = cli(['logs', id, '--url', base], dir);
    expect(await logs.code).toBe(0);
    expect(logs.out()).toContain('US-2 committed');
    const cancel = cli(['cancel', id, '--url', base], dir);
    expect(await cancel.code).toBe(1);
    expect(cancel.err()).toContain('has already ended (completed)');
    const missing = cli(['run', 'nope.json', '--codebase', 'app', '--url', base], dir);
    expect(await missing.code).toBe(1);
    expect(missing.err()).toContain('cannot read');
    const usage = cli(['run', 'prd.json', '--url', base], dir);
    expect(await usage.code).toBe(2);
    expect(usage.err()).toContain('--codebase is required');
  }, 180_000);

  it('detaches on Ctrl-C while the run goes on, cancels it, and writes a validated prd.json with the PRD chat', async () => {
    const good = prd([{ id: 'US-9' }]);
    const { base, dir } = await ralphHost({ 'US-1': [{ sleepMs: 60_000 }], '*': [{ files: { 'prd.json': JSON.stringify(good) } }] });
    writeFileSync(join(dir, 'prd.json'), JSON.stringify(prd([{ id: 'US-1' }])));
    const run = cli(['run', 'prd.json', '--codebase', 'app', '--agent', 'scripted', '--url', base], dir);
    expect(await waitFor(() => run.out().includes('US-1 attempt 1'), 20_000)).toBe(true);
    run.child.kill('SIGINT');
    expect(await run.code).toBe(0);
    expect(run.err()).toContain('Detached; run');
    const id = /^Run (\S+):/.exec(run.out())![1]!;
    expect((await api<RunView>(base, `/v1/ralph/runs/${id}`)).body.status).toBe('running');
    const cancel = cli(['cancel', id, '--url', base], dir);
    expect(await cancel.code).toBe(0);
    expect(cancel.out()).toBe(`Run ${id} is canceled.\n`);
    await waitRun(base, id);

    const chat = cli(['prd', 'Build', 'a', 'demo', '--codebase', 'app', '--agent', 'scripted', '--out', 'new-prd.json', '--url', base], dir);
    expect(await chat.code).toBe(0);
    expect(chat.out()).toContain('Wrote');
    expect(JSON.parse(readFileSync(join(dir, 'new-prd.json'), 'utf8'))).toMatchObject({ project: 'Demo', userStories: [expect.objectContaining({ id: 'US-9' })] });
  }, 180_000);
});
