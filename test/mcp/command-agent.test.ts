import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../workers/support';
import { connectClient, startMcpHost } from './support';

interface TaskResult {
  taskId: string;
  contextId: string;
  state: string;
  done: boolean;
  needsInput: boolean;
  statusMessage: string;
  output: string;
  artifacts: { artifactId: string; name: string; text: string }[];
}

interface OutputResult {
  state: string;
  done: boolean;
  text: string;
  nextCursor: number;
  more: boolean;
}

async function call<T>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}

const node = (script: string) => ({ command: process.execPath, args: [join(fixtures, script)] });

/** A real host whose agents are command agents in its pty host, the official MCP client over Streamable HTTP, and the codebase `app` registered through the tool. */
async function setup() {
  const mcp = await startMcpHost(['mcp'], { agents: { proto: node('protocol.js'), paced: node('paced.js') } });
  const { client } = await connectClient(mcp);
  const folder = join(mcp.dataDir, 'app');
  mkdirSync(folder);
  await call(client, 'register_codebase', { name: 'app', path: folder, defaultAgent: 'proto' });
  return client;
}

describe('MCP tools with a command agent', () => {
  it('send_task_and_wait runs the codebase\'s default agent there and returns its output, artifacts and final reply', async () => {
    const client = await setup();
    const done = await call<TaskResult>(client, 'send_task_and_wait', { message: 'all of it', codebase: 'app' });
    expect(done).toMatchObject({ state: 'completed', done: true, needsInput: false, statusMessage: 'all done' });
    expect(done.artifacts.map((a) => a.artifactId)).toEqual(['output', 'notes', 'run']);
    expect(done.artifacts[0]!.text).toBe('plain line\nstreamed text\n');
    expect(done.artifacts[1]!.text).toBe('a note');
  });

  it('answer_task continues a run that asked for input, with the whole history', async () => {
    const client = await setup();
    const asked = await call<TaskResult>(client, 'send_task_and_wait', { message: 'ask me', agent: 'proto', codebase: 'app' });
    expect(asked).toMatchObject({ state: 'input-required', needsInput: true, done: false, statusMessage: 'What is your name?' });
    const answered = await call<TaskResult>(client, 'answer_task', { taskId: asked.taskId, message: 'Ada' });
    expect(answered).toMatchObject({ taskId: asked.taskId, state: 'completed', statusMessage: 'hello Ada' });
    expect(answered.output).toBe('history user:ask me|agent:What is your name?|user:Ada\n');
  });

  it('get_task_output reads a running task\'s output in pages by cursor, each line once and in order', async () => {
    const client = await setup();
    const started = await call<TaskResult>(client, 'send_task', { message: 'lines 20 25', agent: 'paced', codebase: 'app' });
    let cursor = 0;
    let text = '';
    let pages = 0;
    for (;;) {
      const page = await call<OutputResult>(client, 'get_task_output', { taskId: started.taskId, cursor, maxChars: 100 });
      expect(page.nextCursor).toBeGreaterThanOrEqual(cursor);
      if (page.text) pages += 1;
      text += page.text;
      cursor = page.nextCursor;
      if (page.done && !page.more) {
        expect(page.state).toBe('completed');
        break;
      }
      if (!page.more) await new Promise((r) => setTimeout(r, 30));
    }
    const lines = text.split('\n').filter(Boolean);
    expect(lines.map((l) => l.replace(/^\d+ /, ''))).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 1}`));
    expect(new Set(lines.map((l) => l.split(' ')[0])).size).toBe(1);
    expect(pages).toBeGreaterThan(2);
    const whole = await call<TaskResult>(client, 'get_task', { taskId: started.taskId });
    expect(whole.state).toBe('completed');
  });

  it('get_task_output returns a finished task\'s whole output in one call, across many events', async () => {
    const client = await setup();
    // A line every 8 ms: each its own output batch, so the task has far more events than one store read.
    const done = await call<TaskResult>(client, 'send_task_and_wait', { message: 'lines 150 8', agent: 'paced', codebase: 'app' });
    expect(done.state).toBe('completed');
    const all = await call<OutputResult>(client, 'get_task_output', { taskId: done.taskId, maxChars: 1_000_000 });
    expect(all).toMatchObject({ done: true, more: false });
    expect(all.nextCursor).toBeGreaterThan(100);
    expect(all.text.split('\n').filter(Boolean).map((l) => l.replace(/^\d+ /, ''))).toEqual(Array.from({ length: 150 }, (_, i) => `line ${i + 1}`));
  });
});
