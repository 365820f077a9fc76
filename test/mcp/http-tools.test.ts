import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectClient, startMcpHost } from './support';

/** Every field the tests read from some tool's structured result. */
interface Structured {
  [k: string]: unknown;
  taskId: string;
  contextId: string;
  nextCursor: number;
  artifacts: unknown[];
  tasks: { taskId: string }[];
  sessions: unknown[];
  messages: { role: string; text: string }[];
  codebase: unknown;
  codebases: { name: string }[];
  agents: { name: string }[];
  workers: unknown[];
  card: { name: string };
  added: { skills: string[] };
  peers: { url: string }[];
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Structured> {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as Structured;
}

async function callError(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError).toBe(true);
  return (result.content as { text: string }[])[0]!.text;
}

describe('MCP tools over Streamable HTTP', () => {
  it('lists a short tool list, each with input and output schemas and a description', async () => {
    const { client } = await connectClient(await startMcpHost());
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        'answer_task', 'cancel_task', 'discover_agents', 'get_agent_card', 'get_session', 'get_task', 'get_task_output', 'list_agents',
        'list_codebases', 'list_sessions', 'list_tasks', 'register_codebase', 'remove_codebase', 'resume_session', 'rlm_query',
        'send_task', 'send_task_and_wait', 'ralph_create_run', 'ralph_get_run', 'ralph_list_runs', 'ralph_cancel_run', 'prd_chat',
      ].sort(),
    );
    expect(tools.length).toBeLessThan(25);
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
    }
  });

  it('runs a task with the echo agent and reads it back every way', async () => {
    const { client } = await connectClient(await startMcpHost());
    const done = await call(client, 'send_task_and_wait', { message: 'hello mcp', agent: 'echo' });
    expect(done).toMatchObject({ state: 'completed', done: true, needsInput: false, output: 'hello mcp', timedOut: false });
    expect(done.artifacts).toEqual([{ artifactId: 'echo', name: 'echo', text: 'hello mcp' }]);

    const got = await call(client, 'get_task', { taskId: done.taskId });
    expect(got).toMatchObject({ taskId: done.taskId, contextId: done.contextId, state: 'completed', output: 'hello mcp' });

    const listed = await call(client, 'list_tasks', { contextId: done.contextId });
    expect(listed.tasks.map((t) => t.taskId)).toEqual([done.taskId]);
    expect((await call(client, 'list_tasks', { state: 'failed' })).tasks).toEqual([]);

    const output = await call(client, 'get_task_output', { taskId: done.taskId });
    expect(output).toMatchObject({ text: 'hello mcp', done: true, more: false });
    const again = await call(client, 'get_task_output', { taskId: done.taskId, cursor: output.nextCursor });
    expect(again).toMatchObject({ text: '', nextCursor: output.nextCursor });

    const sessions = await call(client, 'list_sessions');
    expect(sessions.sessions[0]).toMatchObject({ contextId: done.contextId, title: 'hello mcp', taskCount: 1, lastState: 'completed' });

    const resumed = await call(client, 'resume_session', { contextId: done.contextId, message: 'second turn', agent: 'echo' });
    expect(resumed).toMatchObject({ contextId: done.contextId, state: 'completed', output: 'second turn' });

    const transcript = await call(client, 'get_session', { contextId: done.contextId });
    expect(transcript.messages.map((m) => `${m.role}:${m.text}`)).toEqual(['user:hello mcp', 'agent:hello mcp', 'user:second turn', 'agent:second turn']);
  });

  it('sends asynchronously, cancels, and answers a task that asks for input', async () => {
    const { client } = await connectClient(await startMcpHost());
    const started = await call(client, 'send_task', { message: 'work', agent: 'ticker' });
    expect(started.state).toBe('submitted');
    expect((await call(client, 'cancel_task', { taskId: started.taskId })).state).toBe('canceled');
    expect(await callError(client, 'cancel_task', { taskId: started.taskId })).toMatch(/already canceled/);

    const asked = await call(client, 'send_task_and_wait', { message: 'greet me', agent: 'ask' });
    expect(asked).toMatchObject({ state: 'input-required', needsInput: true, statusMessage: 'What is your name?' });
    const answered = await call(client, 'answer_task', { taskId: asked.taskId, message: 'Ada' });
    expect(answered).toMatchObject({ state: 'completed', output: 'Hello, Ada!' });
  });

  it('reports domain failures as tool errors the model can read', async () => {
    const { client } = await connectClient(await startMcpHost());
    expect(await callError(client, 'get_task', { taskId: 'nope' })).toMatch(/does not exist/);
    expect(await callError(client, 'send_task', { message: 'x', agent: 'nobody' })).toMatch(/Unknown agent "nobody"/);
    expect(await callError(client, 'get_session', { contextId: 'nope' })).toMatch(/No session/);
    expect(await callError(client, 'answer_task', { taskId: 'nope', message: 'x' })).toMatch(/does not exist/);
  });

  it('registers, lists and removes codebases', async () => {
    const mcp = await startMcpHost();
    const { client } = await connectClient(mcp);
    const folder = join(mcp.dataDir, 'project');
    mkdirSync(folder);
    const added = await call(client, 'register_codebase', { name: 'project', path: folder, defaultAgent: 'echo' });
    expect(added.codebase).toMatchObject({ name: 'project', defaultAgent: 'echo', allowedAgents: [] });
    expect((await call(client, 'list_codebases')).codebases.map((c) => c.name)).toEqual(['project']);
    expect(await callError(client, 'register_codebase', { name: 'other', path: 'relative/path' })).toMatch(/absolute/);
    expect(await call(client, 'remove_codebase', { name: 'project' })).toEqual({ removed: 'project' });
    expect(await callError(client, 'remove_codebase', { name: 'project' })).toMatch(/No codebase/);
  });

  it('lists agents and the local worker, serves the agent card, and keeps a registry of A2A peers', async () => {
    const mcp = await startMcpHost();
    const { client } = await connectClient(mcp);
    const agents = await call(client, 'list_agents');
    expect(agents.agents.map((a) => a.name)).toEqual(expect.arrayContaining(['echo', 'ticker', 'ask']));
    expect(agents.workers).toEqual([expect.objectContaining({ id: 'local', kind: 'local', status: 'online' })]);

    const { card } = await call(client, 'get_agent_card');
    expect(card.name).toBe('CodeTether');

    // The host itself is a real A2A agent on this machine: add it as a peer by its base URL.
    const origin = new URL(mcp.host.urls.a2a).origin;
    const added = await call(client, 'discover_agents', { add: `${origin}/` });
    expect(added.added).toMatchObject({ url: origin, cardUrl: `${origin}/.well-known/agent-card.json`, name: 'CodeTether' });
    expect(added.added.skills).toEqual(expect.arrayContaining(['Echo']));
    expect((await call(client, 'discover_agents')).peers.map((p) => p.url)).toEqual([origin]);
    expect(await callError(client, 'discover_agents', { add: 'http://127.0.0.1:1' })).toMatch(/Cannot reach/);
    expect(await callError(client, 'discover_agents', { add: 'ftp://example.com' })).toMatch(/Only http and https/);
    expect((await call(client, 'discover_agents', { remove: origin })).peers).toEqual([]);
  });
});
