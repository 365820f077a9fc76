import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunLogLine, RunView } from '../../shared/ralph-api';
import { git } from '../support/git-repo';
import { sseFrames } from '../support/sse-frames';
import { api, prd, ralphHost, waitRun } from './support';

describe('Ralph over REST (/v1/ralph)', () => {
  it('refuses bad input with 400s that name every problem, unknown runs with 404, and a dirty codebase or an existing branch with 409', async () => {
    const { base, repo } = await ralphHost({});
    const bad = await api<{ error: { code: string; message: string; errors?: string[] } }>(base, '/v1/ralph/runs', {
      body: { codebase: 'app', prd: { project: 'P', branchName: 'b', userStories: [{ id: 'A', title: 'a', dependsOn: ['B'] }, { id: 'A', title: 'again' }] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors).toEqual(['userStories: duplicate story id "A"', 'userStories[0].dependsOn: unknown story "B" (stories: A)']);
    expect((await api<{ error: { message: string } }>(base, '/v1/ralph/runs', { body: { prd: prd([{ id: 'A' }]) } })).body.error.message).toContain('"codebase" is required');
    expect((await api<{ error: { message: string } }>(base, '/v1/ralph/runs', { body: { codebase: 'app', prd: prd([{ id: 'A' }]), limits: { maxIterations: 100000 } } })).status).toBe(400);
    expect((await api<{ error: { message: string } }>(base, '/v1/ralph/runs', { body: { codebase: 'app', prd: prd([{ id: 'A' }]), bogus: 1 } })).body.error.message).toContain('bogus');
    expect((await api(base, '/v1/ralph/runs', { body: '{"prd": ' })).status).toBe(400);
    const noCodebase = await api<{ error: { message: string } }>(base, '/v1/ralph/runs', { body: { codebase: 'nope', prd: prd([{ id: 'A' }]) } });
    expect(noCodebase.status).toBe(400);
    expect(noCodebase.body.error.message).toContain('No codebase named "nope"');
    const noAgent = await api<{ error: { message: string } }>(base, '/v1/ralph/runs', { body: { codebase: 'app', agent: 'ghost', prd: prd([{ id: 'A' }]) } });
    expect(noAgent.body.error.message).toContain('Unknown agent "ghost"');
    expect((await api(base, '/v1/ralph/runs/nope')).status).toBe(404);
    expect((await api(base, '/v1/ralph/runs/nope/cancel', { method: 'POST' })).status).toBe(404);
    expect((await api(base, '/v1/ralph/elsewhere')).status).toBe(404);
    expect((await api(base, '/v1/ralph/runs?status=sleeping')).status).toBe(400);

    writeFileSync(join(repo, 'dirty.txt'), 'x');
    const dirty = await api<{ error: { message: string } }>(base, '/v1/ralph/runs', { body: { codebase: 'app', prd: prd([{ id: 'A' }]) } });
    expect(dirty.status).toBe(409);
    expect(dirty.body.error.message).toContain('uncommitted changes (1 file: dirty.txt)');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'dirt');
    git(repo, 'branch', 'ralph/demo');
    const exists = await api<{ error: { message: string } }>(base, '/v1/ralph/runs', { body: { codebase: 'app', prd: prd([{ id: 'A' }]) } });
    expect(exists.status).toBe(409);
    expect(exists.body.error.message).toContain('Branch "ralph/demo" already exists');
    // A browser page of another origin may not start or cancel runs.
    const foreign = await api(base, '/v1/ralph/runs', { body: { codebase: 'app', prd: prd([{ id: 'A' }]) }, headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    // Nothing was accepted by the refusals.
    expect((await api<{ runs: unknown[] }>(base, '/v1/ralph/runs')).body.runs).toEqual([]);
  }, 30_000);

  it('creates a run with the seed\'s snake_case fields, lists it, streams it live over SSE with its log, and serves each story\'s diff', async () => {
    const { base } = await ralphHost({ 'US-1': [{ files: { 'a.txt': 'A\n' }, sleepMs: 500 }], 'US-2': [{ files: { 'b.txt': 'B\n' } }] });
    const created = await api<RunView>(base, '/v1/ralph/runs', { body: { codebase_id: 'app', max_iterations: 7, run_mode: 'sequential', prd: JSON.stringify(prd([{ id: 'US-1' }, { id: 'US-2' }])) } });
    expect(created.status).toBe(201);
    const run = created.body;
    expect(run).toMatchObject({ codebase: 'app', agent: 'scripted', mode: 'sequential', branchName: 'ralph/demo', storiesTotal: 2 });
    expect(run.limits).toMatchObject({ maxIterations: 7, maxAttemptsPerStory: 3, maxNoProgress: 2 });

    const res = await fetch(`${base}/v1/ralph/runs/${run.id}/stream`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const states: string[] = [];
    const lines: RunLogLine[] = [];
    let last: RunView | undefined;
    for await (const frame of sseFrames(res)) {
      if (frame.event === 'log') lines.push(JSON.parse(frame.data) as RunLogLine);
      if (frame.event === 'run') {
        last = JSON.parse(frame.data) as RunView;
        states.push(last.stories.map((s) => s.state).join(','));
      }
    }
    expect(last!.status).toBe('completed');
    // The board moved through the stories live: US-1 running, then passed while US-2 waited, then both passed.
    expect(states).toContain('running,pending');
    expect(states).toContain('passed,running');
    expect(states.at(-1)).toBe('passed,passed');
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.map((l) => l.type)).toContain('story_pass');

    const resumed = await api<{ lines: RunLogLine[] }>(base, `/v1/ralph/runs/${run.id}/logs?after=${lines.length - 2}`);
    expect(resumed.body.lines.map((l) => l.seq)).toEqual([lines.length - 1, lines.length]);
    const listed = await api<{ runs: { id: string; status: string; storiesPassed: number }[] }>(base, '/v1/ralph/runs?status=completed');
    expect(listed.body.runs).toEqual([expect.objectContaining({ id: run.id, status: 'completed', storiesPassed: 2 })]);
    const diff = await api<string>(base, `/v1/ralph/runs/${run.id}/stories/US-2/diff`);
    expect(diff.status).toBe(200);
    expect(diff.body).toContain('feat: [US-2] - Story 2');
    expect(diff.body).toContain('+B');
    expect((await api(base, `/v1/ralph/runs/${run.id}/stories/US-9/diff`)).status).toBe(404);
  }, 60_000);

  it('runs a PRD sent as a plain A2A message to the agent ralph, and fails an invalid one with the reasons', async () => {
    const { base } = await ralphHost({ 'US-1': [{ files: { 'a.txt': 'A\n' } }] });
    const send = (part: Record<string, unknown>) =>
      api<{ task: { id: string } }>(base, '/v1/message:send', {
        body: { message: { messageId: crypto.randomUUID(), role: 'ROLE_USER', parts: [part] }, metadata: { agent: 'ralph', codebase: 'app', storyAgent: 'scripted' }, configuration: { returnImmediately: true } },
      });
    const sent = await send({ data: prd([{ id: 'US-1' }]), mediaType: 'application/json' });
    expect(sent.status).toBe(200);
    const done = await waitRun(base, sent.body.task.id);
    expect(done.status).toBe('completed');
    const task = await api<{ status: { state: string; message: { parts: { text: string }[] } }; artifacts: { name: string }[] }>(base, `/v1/tasks/${sent.body.task.id}`);
    expect(task.body.status.state).toBe('TASK_STATE_COMPLETED');
    expect(task.body.status.message.parts[0]!.text).toContain('1 of 1 stories passed');
    expect(task.body.artifacts.map((a) => a.name)).toContain('ralph-run');

    const invalid = await send({ raw: Buffer.from(JSON.stringify({ project: 'P', userStories: [] })).toString('base64'), filename: 'prd.json', mediaType: 'application/json' });
    const failed = await waitForTask(base, invalid.body.task.id);
    expect(failed.status.state).toBe('TASK_STATE_FAILED');
    expect(failed.status.message.parts[0]!.text).toContain('branchName is required');
    expect(failed.status.message.parts[0]!.text).toContain('userStories is empty');
  }, 60_000);
});

async function waitForTask(base: string, id: string) {
  for (;;) {
    const t = await api<{ status: { state: string; message: { parts: { text: string }[] } } }>(base, `/v1/tasks/${id}`);
    if (['TASK_STATE_COMPLETED', 'TASK_STATE_FAILED'].includes(t.body.status.state)) return t.body;
    await new Promise((r) => setTimeout(r, 50));
  }
}
