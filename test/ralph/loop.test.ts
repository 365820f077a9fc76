import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../support/git-repo';
import { branchCommits, createRun, fileAt, logs, prd, ralphHost, waitRun } from './support';

describe('Ralph runs a PRD story by story with a scripted agent on a real git repository', () => {
  it('passes a 3-story PRD in order with one commit per story, prd.json and progress.txt updated', async () => {
    const { base, repo, agent } = await ralphHost({ 'US-1': [{ files: { 'a.txt': 'A\n' } }], 'US-2': [{ files: { 'b.txt': 'B\n' } }], 'US-3': [{ files: { 'c.txt': 'C\n' } }] });
    const has = (file: string) => `node -e "require('fs').statSync('${file}')"`;
    // Priorities put US-3 first although it is listed last; US-2 waits for US-1.
    const run = await createRun(base, {
      agent: 'scripted',
      prd: prd([
        { id: 'US-1', priority: 2, verify: [has('a.txt')] },
        { id: 'US-2', priority: 1, dependsOn: ['US-1'], verify: [has('b.txt')] },
        { id: 'US-3', priority: 1, verify: [{ command: 'node -e "process.stdout.write(require(\'fs\').readFileSync(\'c.txt\',\'utf8\'))"', expectOutput: 'C' }] },
      ], { qualityChecks: { listed: 'node -e "process.exit(0)"', test: 'node test.js' } }),
    });
    expect(run.status).toMatch(/pending|running/);
    const done = await waitRun(base, run.id);
    expect(done.status).toBe('completed');
    expect(done.stopReason).toBe('completed');
    expect(done.stories.map((s) => [s.id, s.state, s.attempts.length])).toEqual([['US-1', 'passed', 1], ['US-2', 'passed', 1], ['US-3', 'passed', 1]]);
    expect(agent.runs().map((r) => r.storyId)).toEqual(['US-3', 'US-1', 'US-2']);
    expect(branchCommits(repo, 'ralph/demo')).toEqual(['feat: [US-3] - Story 3', 'feat: [US-1] - Story 1', 'feat: [US-2] - Story 2']);
    // Each story's commit holds its file, prd.json with it passed, and its progress entry.
    const prdFile = JSON.parse(fileAt(repo, 'ralph/demo', 'prd.json')!) as { userStories: { id: string; passes: boolean }[] };
    expect(prdFile.userStories.map((s) => s.passes)).toEqual([true, true, true]);
    const firstPrd = JSON.parse(fileAt(repo, 'ralph/demo~2', 'prd.json')!) as { userStories: { id: string; passes: boolean }[] };
    expect(firstPrd.userStories.map((s) => [s.id, s.passes])).toEqual([['US-1', false], ['US-2', false], ['US-3', true]]);
    const progress = fileAt(repo, 'ralph/demo', 'progress.txt')!;
    expect(progress).toContain('### US-3 - Story 3: passed on attempt 1');
    expect(progress.indexOf('US-3')).toBeLessThan(progress.indexOf('### US-1'));
    expect(git(repo, 'show', '--name-only', '--format=', 'ralph/demo~1').split('\n').sort()).toEqual(['a.txt', 'prd.json', 'progress.txt']);
    // The codebase itself was not touched: the run worked in its own worktree.
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(done.stories.every((s) => s.commit && s.attempts[0]!.checks.every((c) => c.passed))).toBe(true);
    expect(done.stories.map((s) => s.attempts[0]!.checks.map((c) => c.name))).toEqual([['listed', 'test', 'verify 1'], ['listed', 'test', 'verify 1'], ['listed', 'test', 'verify 1']]);
    // The prompt carried the story, its criteria and what earlier stories left in progress.txt.
    const second = agent.runs()[1]!;
    expect(second.prompt).toContain('## Story US-1: Story 1');
    expect(second.prompt).toContain('- thing 1 works');
    expect(second.prompt).toContain('US-3 - Story 3: passed');
    expect((await logs(base, run.id)).some((l) => l.type === 'commit' && l.storyId === 'US-1')).toBe(true);
  }, 60_000);

  it('retries a story whose tests fail with the failing output in its prompt, and passes it on the second attempt', async () => {
    const { base, agent } = await ralphHost({ 'US-1': [{ files: { 'a.txt': 'wrong\n' } }, { files: { 'a.txt': 'A\n' } }] }, { expected: { 'a.txt': 'A\n' } });
    const run = await createRun(base, { prd: prd([{ id: 'US-1' }]) });
    const done = await waitRun(base, run.id);
    expect(done.status).toBe('completed');
    const attempts = done.stories[0]!.attempts;
    expect(attempts.map((a) => a.outcome)).toEqual(['checks_failed', 'passed']);
    expect(attempts[0]!.checks[0]).toMatchObject({ name: 'test', exitCode: 1, passed: false });
    expect(attempts[0]!.checks[0]!.output).toContain('FAIL a.txt has the wrong content');
    const prompts = agent.runs().map((r) => r.prompt);
    expect(prompts[0]).not.toContain('previous attempt');
    expect(prompts[1]).toContain('## Why the previous attempt did not pass');
    expect(prompts[1]).toContain('FAIL a.txt has the wrong content');
    expect(prompts[1]).toContain('attempt 2 of 3');
  }, 60_000);

  it('never passes a story whose agent claims success while the test fails, and ends the run failed', async () => {
    const { base, repo } = await ralphHost({ 'US-1': [{ files: { 'a.txt': 'nope 1\n' }, say: 'All acceptance criteria met. STORY_COMPLETE' }, { files: { 'a.txt': 'nope 2\n' } }, { files: { 'a.txt': 'nope 3\n' } }] }, { expected: { 'a.txt': 'A\n' } });
    const run = await createRun(base, { prd: prd([{ id: 'US-1' }, { id: 'US-2', dependsOn: ['US-1'] }]) });
    const done = await waitRun(base, run.id);
    expect(done.status).toBe('failed');
    expect(done.stopReason).toBe('stories_failed');
    expect(done.stories[0]).toMatchObject({ state: 'failed', stopReason: 'max_attempts', commit: null });
    expect(done.stories[0]!.attempts.map((a) => [a.outcome, a.taskState])).toEqual([['checks_failed', 'completed'], ['checks_failed', 'completed'], ['checks_failed', 'completed']]);
    expect(done.stories[1]).toMatchObject({ state: 'blocked', stopReason: 'dependency_failed' });
    expect(done.summary).toContain('0 of 2 stories passed');
    expect(done.summary).toContain('US-2 blocked');
    expect(branchCommits(repo, 'ralph/demo')).toEqual([]);
  }, 60_000);

  it('stops a no-op agent at the no-progress limit', async () => {
    const { base, agent } = await ralphHost({ 'US-1': [{ say: 'Done, nothing needed changing.' }] }, { expected: { 'a.txt': 'A\n' } });
    const run = await createRun(base, { prd: prd([{ id: 'US-1' }]), limits: { maxAttemptsPerStory: 5 } });
    const done = await waitRun(base, run.id);
    expect(done.status).toBe('failed');
    expect(done.stories[0]).toMatchObject({ state: 'failed', stopReason: 'no_progress' });
    expect(done.stories[0]!.attempts.map((a) => [a.outcome, a.changedFiles])).toEqual([['no_progress', false], ['no_progress', false]]);
    expect(agent.runs()).toHaveLength(2);
  }, 60_000);

  it('ends the run failed with its reason when the iteration, story time or token limit is reached', async () => {
    const wrong = { files: { 'a.txt': 'wrong\n' } };
    const iterations = await ralphHost({ '*': [wrong, { files: { 'a.txt': 'still wrong\n' } }, { files: { 'a.txt': 'wrong again\n' } }] }, { expected: { 'a.txt': 'A\n' } });
    const a = await createRun(iterations.base, { prd: prd([{ id: 'US-1' }, { id: 'US-2' }]), limits: { maxIterations: 3 } });
    const stoppedA = await waitRun(iterations.base, a.id);
    expect(stoppedA).toMatchObject({ status: 'failed', stopReason: 'max_iterations', iterations: 3 });
    expect(iterations.agent.runs()).toHaveLength(3);

    const slow = await ralphHost({ 'US-1': [{ sleepMs: 30_000, files: { 'a.txt': 'A\n' } }] }, { expected: { 'a.txt': 'A\n' } });
    const b = await createRun(slow.base, { prd: prd([{ id: 'US-1' }]), limits: { storyTimeoutSeconds: 2 } });
    const stoppedB = await waitRun(slow.base, b.id);
    expect(stoppedB.stories[0]).toMatchObject({ state: 'failed', stopReason: 'story_timeout' });
    expect(stoppedB.stories[0]!.attempts[0]).toMatchObject({ outcome: 'timed_out', taskState: 'canceled' });

    const hungry = await ralphHost({ 'US-1': [{ files: { 'a.txt': 'wrong\n' }, tokens: 700 }, { files: { 'a.txt': 'A\n' }, tokens: 700 }] }, { expected: { 'a.txt': 'A\n' } });
    const c = await createRun(hungry.base, { prd: prd([{ id: 'US-1' }]), limits: { maxTokens: 500 } });
    const stoppedC = await waitRun(hungry.base, c.id);
    expect(stoppedC).toMatchObject({ status: 'failed', stopReason: 'token_limit', tokens: 700 });
    expect(stoppedC.stories[0]!.attempts.map((x) => [x.outcome, x.tokens])).toEqual([['checks_failed', 700]]);
  }, 90_000);

  it('runs independent stories in parallel worktrees, merges them back in order, and fails the one whose merge conflicts, naming the files', async () => {
    const { base, repo, agent } = await ralphHost(
      {
        'US-1': [{ files: { 'shared.txt': 'one\n' }, sleepMs: 300 }],
        'US-2': [{ files: { 'shared.txt': 'two\n' }, sleepMs: 1500 }],
        'US-3': [{ files: { 'b.txt': 'B\n' } }],
      },
    );
    const run = await createRun(base, {
      maxParallel: 2,
      prd: prd([{ id: 'US-1' }, { id: 'US-2' }, { id: 'US-3', dependsOn: ['US-1'] }], { qualityChecks: {} }),
    });
    const done = await waitRun(base, run.id);
    expect(done.mode).toBe('parallel');
    expect(done.stories.map((s) => [s.id, s.state, s.stopReason])).toEqual([['US-1', 'passed', null], ['US-2', 'failed', 'merge_conflict'], ['US-3', 'passed', null]]);
    expect(done.stories[1]!.note).toContain('conflicts in shared.txt');
    expect(done.stories[1]!.note).toContain('ralph/demo--US-2');
    // The two independent stories ran at once, each in its own worktree.
    const runs = agent.runs();
    expect(new Set(runs.map((r) => r.cwd)).size).toBe(3);
    expect(branchCommits(repo, 'ralph/demo')).toEqual(['feat: [US-1] - Story 1', 'feat: [US-3] - Story 3']);
    expect(fileAt(repo, 'ralph/demo', 'shared.txt')).toBe('one');
    // The conflicting story's branch is kept for review; merged stories' branches are gone.
    expect(git(repo, 'branch', '--list', 'ralph/demo--*').replace(/[*+ ]/g, '').split('\n')).toEqual(['ralph/demo--US-2']);
    expect(fileAt(repo, 'ralph/demo--US-2', 'shared.txt')).toBe('two');
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('hello\n');
  }, 90_000);
});
