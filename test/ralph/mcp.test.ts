import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { PrdChatResult, RunSummaryView, RunView } from '../../shared/ralph-api';
import { createTokenStore } from '../../main/auth/token-store';
import { branchCommits, prd, ralphHost, waitRun, type RalphHost } from './support';

async function connect(env: RalphHost): Promise<Client> {
  const created = createTokenStore(env.host.db).create({ name: 'ide', scopes: ['mcp'] });
  if (!created.ok) throw new Error('no token');
  const client = new Client({ name: 'ralph-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(env.host.urls.mcp!), { requestInit: { headers: { authorization: `Bearer ${created.token}` } } }));
  onTestFinished(() => client.close());
  return client;
}

async function call<T>(client: Client, name: string, args: Record<string, unknown>): Promise<{ value: T; text: string; isError: boolean }> {
  const r = await client.callTool({ name, arguments: args });
  return { value: r.structuredContent as T, text: (r.content as { text: string }[])[0]!.text, isError: r.isError === true };
}

describe('Ralph through the official MCP client', () => {
  it('creates, gets, lists and cancels runs, and refuses a bad PRD with a tool error naming the problems', async () => {
    const env = await ralphHost({ 'US-1': [{ files: { 'a.txt': 'A\n' } }], 'US-2': [{ sleepMs: 60_000 }] });
    const client = await connect(env);
    const bad = await call(client, 'ralph_create_run', { codebase: 'app', prd: { project: 'P', branchName: 'b', userStories: [{ id: 'A', title: 'a', dependsOn: ['A'] }] } });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('story "A" depends on itself');

    const created = await call<{ run: RunView }>(client, 'ralph_create_run', { codebase: 'app', agent: 'scripted', prd: prd([{ id: 'US-1' }, { id: 'US-2', dependsOn: ['US-1'] }], { qualityChecks: {} }) });
    expect(created.isError).toBe(false);
    const id = created.value.run.id;
    expect(created.text).toContain(`Started Ralph run ${id}: 2 stories`);
    await waitRun(env.base, id, (r) => r.stories[1]!.state === 'running');
    const got = await call<{ run: RunView }>(client, 'ralph_get_run', { runId: id });
    expect(got.value.run.stories.map((s) => s.state)).toEqual(['passed', 'running']);
    const listed = await call<{ runs: RunSummaryView[] }>(client, 'ralph_list_runs', { status: 'running' });
    expect(listed.value.runs.map((r) => r.id)).toEqual([id]);
    expect(listed.text).toContain('1/2 stories');
    const canceled = await call<{ run: RunView }>(client, 'ralph_cancel_run', { runId: id });
    expect(canceled.value.run.status).toBe('canceled');
    expect(canceled.value.run.stories[1]!.attempts[0]!.outcome).toBe('canceled');
    expect(branchCommits(env.repo, 'ralph/demo')).toEqual(['feat: [US-1] - Story 1']);
    const unknown = await call(client, 'ralph_get_run', { runId: 'nope' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('No Ralph run nope');
  }, 60_000);

  it('prd_chat has the coding agent write prd.json in a scratch worktree and returns it validated, or the reasons it is not usable', async () => {
    const good = prd([{ id: 'US-1' }]);
    const env = await ralphHost({ '*': [{ files: { 'prd.json': JSON.stringify(good) }, say: 'I wrote prd.json' }] });
    const client = await connect(env);
    const first = await call<PrdChatResult>(client, 'prd_chat', { message: 'Build a demo', codebase: 'app', agent: 'scripted' });
    expect(first.isError).toBe(false);
    expect(first.value.errors).toEqual([]);
    expect(first.value.prd).toMatchObject({ project: 'Demo', branchName: 'ralph/demo' });
    expect(first.value.reply).toBe('I wrote prd.json');
    const runs = env.agent.runs();
    expect(runs[0]!.prompt).toContain('Build a demo');
    expect(runs[0]!.prompt).toContain('prd.json');
    // The agent worked in a worktree, removed afterwards; the codebase stays clean for the run.
    expect(runs[0]!.cwd).not.toBe(env.repo);
  }, 60_000);
});
