import { Role, TaskState } from '@a2a-js/sdk';
import { onTestFinished } from 'vitest';
import { configSchema } from '../../main/base/config-schema';
import { startHost, type Host, type HostOptions } from '../../main/host/host';
import type { AgentExecutor } from '../../main/tasks/executor';
import { agentMessage } from '../../main/tasks/agent-message';
import { tempDir } from '../helpers/temp-dir';

/**
 * An agent whose answer follows the text it got: "ask ..." asks a question (input-required)
 * and completes once answered; "fail ..." throws, which fails the task; anything else completes
 * with an artifact that repeats it.
 */
export const moodyAgent: AgentExecutor = {
  name: 'moody',
  description: 'asks, fails or answers, as told',
  skill: { id: 'moody', name: 'Moody', description: 'asks, fails or answers', tags: [] },
  async execute(ctx) {
    const text = ctx.message.parts[0]?.content?.$case === 'text' ? ctx.message.parts[0].content.value : '';
    const asked = ctx.task.history.some((m) => m.role === Role.ROLE_AGENT);
    if (text.startsWith('fail')) throw new Error(`told to fail: ${text}`);
    if (text.startsWith('ask') && !asked) {
      ctx.update({ kind: 'status', state: TaskState.TASK_STATE_INPUT_REQUIRED, message: agentMessage(ctx.task, 'Which branch?') });
      return;
    }
    ctx.update(
      { kind: 'artifact', artifact: { artifactId: 'out', name: 'out', description: '', parts: [{ content: { $case: 'text', value: `did: ${text}` }, metadata: undefined, filename: '', mediaType: '' }], metadata: undefined, extensions: [] }, lastChunk: true },
      { kind: 'status', state: TaskState.TASK_STATE_COMPLETED, message: agentMessage(ctx.task, 'done') },
    );
  },
};

export interface HookHost {
  host: Host;
  base: string;
  dataDir: string;
  settings: ReturnType<typeof configSchema.parse>;
}

/** A real host on 127.0.0.1 with the moody agent and fast retries; stopped after the test. */
export async function hookHost(config: Record<string, unknown> = {}, options: HostOptions = {}, dataDir = tempDir()): Promise<HookHost> {
  const settings = configSchema.parse({
    dataDir, port: 0, mcpPort: 0, logLevel: 'silent', shutdownGraceMs: 300,
    pushAllowlist: ['127.0.0.1'], pushBaseDelayMs: 20, pushMaxDelayMs: 200, pushTimeoutMs: 2000, ...config,
  });
  const host = await startHost(settings, { agents: [moodyAgent], monitorDir: `${dataDir}/no-monitor`, ...options });
  onTestFinished(() => host.stop());
  return { host, base: new URL(host.urls.health).origin, dataDir, settings };
}

export async function api<T = unknown>(base: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

/** Sends a message to the moody agent over A2A HTTP+JSON and returns the task id. */
export async function sendTask(base: string, text: string, metadata: Record<string, unknown> = {}): Promise<string> {
  const r = await api<{ task?: { id: string } }>(base, '/v1/message:send', {
    body: { message: { messageId: crypto.randomUUID(), role: 'ROLE_USER', parts: [{ text }] }, metadata: { agent: 'moody', ...metadata }, configuration: { returnImmediately: true } },
  });
  if (r.status !== 200 || !r.body.task) throw new Error(`send: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.task.id;
}
