import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { servedUrls, spawnCli } from '../support/cli-process';
import { alive } from '../support/processes';
import { waitFor } from '../support/wait';
import { api, branchCommits, createRun, makeRepo, prd, ralphHost, scriptedAgentFiles, waitRun } from './support';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c();
});

/** `codetether serve` in its own process on `dataDir` (spawnCli); resolves with its origin once it listens. */
async function serve(dataDir: string, configFile: string): Promise<{ child: ChildProcess; base: string }> {
  const host = spawnCli(['serve', '--port', '0', '--data-dir', dataDir, '--config', configFile, '--log-level', 'warn']);
  return { child: host.child, base: (await servedUrls(host)).origin };
}

describe('Ralph cancel and crash recovery', () => {
  it('cancel ends the run canceled within seconds and the running story agent is gone', async () => {
    const { base, agent } = await ralphHost({ 'US-1': [{ sleepMs: 60_000 }] });
    const run = await createRun(base, { prd: prd([{ id: 'US-1' }, { id: 'US-2' }]) });
    expect(await waitFor(() => agent.runs().length === 1, 20_000)).toBe(true);
    const pid = agent.runs()[0]!.pid;
    expect(alive(pid)).toBe(true);
    const started = Date.now();
    const canceled = await api<{ status: string; stories: { state: string; attempts: { outcome: string; taskState: string }[] }[] }>(base, `/v1/ralph/runs/${run.id}/cancel`, { method: 'POST' });
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe('canceled');
    expect(canceled.body.stories[0]!.attempts[0]).toMatchObject({ outcome: 'canceled', taskState: 'canceled' });
    expect(canceled.body.stories[1]!.state).toBe('pending');
    expect(await waitFor(() => !alive(pid), 5000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    const task = await api<{ status: { state: string } }>(base, `/v1/tasks/${run.id}`);
    expect(task.body.status.state).toBe('TASK_STATE_CANCELED');
    const again = await api<{ error: { code: string; message: string } }>(base, `/v1/ralph/runs/${run.id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already ended');
  }, 60_000);

  it('after SIGKILL of the host mid-story and a restart, the run goes on: the lost attempt counts as interrupted, nothing runs or commits twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codetether-ralph-kill-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const repo = makeRepo(join(dir, 'app'));
    const agent = scriptedAgentFiles(dir, { 'US-1': [{ files: { 'a.txt': 'A\n' } }], 'US-2': [{ files: { 'half.txt': 'started\n' }, sleepMs: 60_000 }, { files: { 'b.txt': 'B\n' } }], 'US-3': [{ files: { 'c.txt': 'C\n' } }] });
    const dataDir = join(dir, 'data');
    const db = openDatabase(join(dataDir, 'codetether.db'));
    const added = registerCodebase(createCodebaseRepository(db), { name: 'app', path: repo, knownAgents: ['scripted'], now: Date.now() });
    closeDatabase(db);
    if (!added.ok) throw new Error(added.error);
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ mcpPort: 0, shutdownGraceMs: 300, agents: { scripted: agent.config } }));

    const first = await serve(dataDir, configFile);
    const run = await createRun(first.base, { agent: 'scripted', prd: prd([{ id: 'US-1' }, { id: 'US-2', dependsOn: ['US-1'] }, { id: 'US-3', dependsOn: ['US-2'] }]) });
    expect(await waitFor(() => agent.runs().some((r) => r.storyId === 'US-2'), 30_000)).toBe(true);
    const lost = agent.runs().find((r) => r.storyId === 'US-2')!;
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    // The pty host ends the agents of a host that died.
    expect(await waitFor(() => !alive(lost.pid), 5000)).toBe(true);

    const second = await serve(dataDir, configFile);
    const done = await waitRun(second.base, run.id, undefined, 60_000);
    expect(done.status).toBe('completed');
    expect(done.stories.map((s) => [s.id, s.attempts.map((a) => a.outcome)])).toEqual([
      ['US-1', ['passed']],
      ['US-2', ['interrupted', 'passed']],
      ['US-3', ['passed']],
    ]);
    const interrupted = done.stories[1]!.attempts[0]!;
    expect(interrupted.taskId).toBe(lost.taskId);
    expect(interrupted.taskState).toBe('failed');
    // Every child task ran its agent once: the lost one was not re-run behind Ralph's back.
    const runs = agent.runs();
    expect(runs.map((r) => `${r.storyId}#${r.attempt}`)).toEqual(['US-1#1', 'US-2#1', 'US-2#2', 'US-3#1']);
    expect(new Set(runs.map((r) => r.taskId)).size).toBe(runs.length);
    expect(branchCommits(repo, 'ralph/demo')).toEqual(['feat: [US-1] - Story 1', 'feat: [US-2] - Story 2', 'feat: [US-3] - Story 3']);
    // The retry's prompt says what happened, and the tree kept what the lost attempt wrote.
    expect(runs[2]!.prompt).toContain('interrupted');
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 120_000);
});
