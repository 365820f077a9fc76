import { Role, TaskState, type Message } from '@a2a-js/sdk';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { randomUUID } from 'node:crypto';
import { onTestFinished } from 'vitest';
import type { Scope } from '../../main/auth/scopes';
import type { Logger } from '../../main/base/log';
import type { Host } from '../../main/host/host';
import type { AgentExecutor } from '../../main/tasks/executor';
import { startTestHost, type ConfigFlags } from '../support/host';

const text = (value: string) => ({ content: { $case: 'text' as const, value }, metadata: undefined, filename: '', mediaType: '' });

function agentMessage(task: { id: string; contextId: string }, value: string): Message {
  return { messageId: randomUUID(), contextId: task.contextId, taskId: task.id, role: Role.ROLE_AGENT, parts: [text(value)], metadata: undefined, extensions: [], referenceTaskIds: [] };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('aborted'))), { once: true });
  });
}

/**
 * Works for `ticks` x `ms` (message metadata, defaults 5 x 100 ms), reporting one output chunk
 * per tick, then completes: the long task of the progress and resumability tests.
 */
export const slowAgent: AgentExecutor = {
  name: 'slow',
  description: 'Emits numbered output chunks on a timer, then completes.',
  skill: { id: 'slow', name: 'Slow', description: 'Numbered chunks on a timer.', tags: ['test'] },
  async execute(ctx) {
    const meta = ctx.message.metadata ?? {};
    const ticks = Number(meta.ticks ?? 5);
    const ms = Number(meta.ms ?? 100);
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING });
    for (let i = 1; i <= ticks; i++) {
      await sleep(ms, ctx.signal);
      ctx.update({ kind: 'artifact', artifact: { artifactId: 'out', name: 'out', description: '', parts: [text(`tick ${i}\n`)], metadata: undefined, extensions: [] }, append: i > 1 });
    }
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_COMPLETED, message: agentMessage(ctx.task, `done after ${ticks} ticks`) });
  },
};

/** Asks for a name, then greets whoever answered: the input-required test agent. */
export const askAgent: AgentExecutor = {
  name: 'ask',
  description: 'Asks for your name, then greets you.',
  skill: { id: 'ask', name: 'Ask', description: 'Asks a question first.', tags: ['test'] },
  async execute(ctx) {
    const answer = ctx.message.parts.flatMap((p) => (p.content?.$case === 'text' ? [p.content.value] : [])).join('');
    if (ctx.task.history.filter((m) => m.role === Role.ROLE_USER).length < 2) {
      ctx.update({ kind: 'status', state: TaskState.TASK_STATE_INPUT_REQUIRED, message: agentMessage(ctx.task, 'What is your name?') });
      return;
    }
    ctx.update(
      { kind: 'artifact', artifact: { artifactId: 'greeting', name: 'greeting', description: '', parts: [text(`Hello, ${answer}!`)], metadata: undefined, extensions: [] } },
      { kind: 'status', state: TaskState.TASK_STATE_COMPLETED },
    );
  },
};

export interface McpHost {
  host: Host;
  dataDir: string;
  url: string;
  token: string;
}

/** A real host on a temp dir with the test agents and an "mcp" token; stopped after the test. */
export async function startMcpHost(scopes: Scope[] = ['mcp'], flags: ConfigFlags = {}, log?: Logger): Promise<McpHost> {
  const { host, dataDir } = await startTestHost({ config: flags, agents: [slowAgent, askAgent], log });
  const created = host.tokens.create({ name: 'test', scopes });
  if (!created.ok) throw new Error('token not created');
  return { host, dataDir, url: host.urls.mcp!, token: created.token };
}

export function httpTransport(mcp: McpHost, sessionId?: string): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(mcp.url), { sessionId, requestInit: { headers: { authorization: `Bearer ${mcp.token}` } } });
}

/** The SDK client over Streamable HTTP with the host's token; closed after the test. */
export async function connectClient(mcp: McpHost): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'codetether-test', version: '1.0.0' });
  const transport = httpTransport(mcp);
  await client.connect(transport);
  onTestFinished(() => client.close());
  return { client, transport };
}
