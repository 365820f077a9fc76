import { Role, TaskState, type Task } from '@a2a-js/sdk';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { configSchema } from '../../main/base/config-schema';
import { startHost, type Host } from '../../main/host/host';
import { agentMessage } from '../../main/tasks/agent-message';
import type { AgentExecutor } from '../../main/tasks/executor';
import { messageText } from '../../main/tasks/task-text';
import { signReplyToken } from '../../main/notify/reply-token';
import { userMessage } from '../support/task-core';

export const ME = 'me@example.com';

/**
 * Asks "Which database should I use?" and, once answered, completes with "Using <answer>." and
 * an artifact holding it: the agent of the input-required cases.
 */
export const askerAgent: AgentExecutor = {
  name: 'asker',
  description: 'Asks one question, then completes with the answer.',
  skill: { id: 'asker', name: 'Asker', description: 'Asks a question.', tags: ['test'] },
  async execute(ctx) {
    const answered = ctx.task.history.filter((m) => m.role === Role.ROLE_USER).length > 1;
    if (!answered) {
      ctx.update({ kind: 'status', state: TaskState.TASK_STATE_INPUT_REQUIRED, message: agentMessage(ctx.task, 'Which database should I use?') });
      return;
    }
    const answer = messageText(ctx.message).trim();
    ctx.update(
      { kind: 'artifact', artifact: { artifactId: 'result', name: 'result', description: '', parts: [{ content: { $case: 'text', value: `Migrated to ${answer}.` }, metadata: undefined, filename: '', mediaType: '' }], metadata: undefined, extensions: [] }, lastChunk: true },
      { kind: 'status', state: TaskState.TASK_STATE_COMPLETED, message: agentMessage(ctx.task, `Using ${answer}.`) },
    );
  },
};

/** Fails every task with a reason. */
export const failingAgent: AgentExecutor = {
  name: 'breaker',
  description: 'Fails.',
  skill: { id: 'breaker', name: 'Breaker', description: 'Fails.', tags: ['test'] },
  execute() {
    return Promise.reject(new Error('the build broke: 3 tests failed'));
  },
};

export interface EmailHostOptions {
  smtpPort: number;
  email?: Record<string, unknown>;
  config?: Record<string, unknown>;
  /** The data dir of an earlier host of the test (a restart); otherwise a temp dir removed after the test. */
  dataDir?: string;
}

/** A real host on a temp data dir whose email goes to the test SMTP server on `smtpPort`; stopped after the test. */
export async function startEmailHost(options: EmailHostOptions): Promise<Host> {
  const own = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'codetether-email-'));
  const config = configSchema.parse({
    dataDir,
    port: 0,
    mcpPort: 0,
    logLevel: 'silent',
    shutdownGraceMs: 300,
    ...options.config,
    email: {
      host: '127.0.0.1',
      port: options.smtpPort,
      tls: 'none',
      from: `CodeTether <${ME}>`,
      recipients: [ME],
      baseDelayMs: 100,
      maxDelayMs: 400,
      timeoutMs: 2000,
      ...options.email,
    },
  });
  const host = await startHost(config, { agents: [askerAgent, failingAgent] });
  // One hook, so the data dir goes only after the host that writes into it has stopped.
  onTestFinished(async () => {
    await host.stop();
    if (own) rmSync(dataDir, { recursive: true, force: true });
  });
  return host;
}

/** Sends a task and waits until it settles. */
export async function runTask(host: Host, text: string, options: { agent?: string; contextId?: string; metadata?: Record<string, unknown> } = {}): Promise<Task> {
  const message = userMessage(text, options.contextId ? { contextId: options.contextId } : {});
  const metadata = { ...(options.agent ? { agent: options.agent } : {}), ...options.metadata };
  const { task } = await host.tasks.send({ message, metadata: Object.keys(metadata).length ? metadata : undefined });
  return host.tasks.settled(task.id);
}

/** A reply token signed with the host's own key (the file in its data dir), for cases a notification does not produce. */
export function tokenFor(host: Host, taskId: string, expiresAt: number): string {
  const key = Buffer.from(readFileSync(join(host.config.dataDir, 'email-reply-key'), 'utf8').trim(), 'base64');
  return signReplyToken(key, taskId, expiresAt);
}

export async function eventually<T>(read: () => T | undefined | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface ReplyInput {
  from?: string;
  to: string;
  subject: string;
  inReplyTo?: string;
  messageId: string;
  /** The reply's text/plain body, quote included. */
  text: string;
  /** Whole Authentication-Results values, topmost first. */
  authResults?: string[];
  extraHeaders?: string[];
}

/** A plain-text reply as a mail client would send it. */
export function plainReply(r: ReplyInput): string {
  return [
    ...(r.authResults ?? []).map((a) => `Authentication-Results: ${a}`),
    `From: Me <${r.from ?? ME}>`,
    `To: ${r.to}`,
    `Subject: ${r.subject}`,
    `Message-ID: ${r.messageId}`,
    ...(r.inReplyTo ? [`In-Reply-To: ${r.inReplyTo}`, `References: ${r.inReplyTo}`] : []),
    `Date: ${new Date().toUTCString()}`,
    ...(r.extraHeaders ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    r.text,
  ].join('\r\n');
}

/** The audit rows about one reply (by its Message-ID). */
export function auditOf(host: Host, messageId: string): { action: string; detail: Record<string, unknown> }[] {
  return (host.db.prepare('SELECT action, detail FROM audit_log WHERE subject = ? ORDER BY seq').all(messageId) as { action: string; detail: string }[]).map((r) => ({
    action: r.action,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}

export function taskCount(host: Host): number {
  return (host.db.prepare('SELECT count(*) AS n FROM tasks').get() as { n: number }).n;
}
