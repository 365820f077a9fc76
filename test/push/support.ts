import { TaskState } from '@a2a-js/sdk';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { createLogger, type Logger } from '../../main/base/log';
import { createPushService, type PushDeliveryConfig } from '../../main/push/push-service';
import { generatePushSigningKey, type PushSigningKey } from '../../main/push/signature';
import { createPushRepository } from '../../main/store/push-repository';
import type { AgentExecutor } from '../../main/tasks/executor';
import type { Core } from '../support/task-core';
import { waitFor } from '../support/wait';

export interface Attempt {
  status: number;
  seq: number;
  at: number;
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** The event seq a notification carries in its signature header. */
export function seqOf(headers: IncomingHttpHeaders): number {
  return Number(/seq=(\d+)/.exec(String(headers['x-codetether-signature']))?.[1]);
}

/**
 * A real webhook receiver on 127.0.0.1. `status(n, seq)` answers the n-th request (0-based)
 * carrying event `seq`; 200 unless told otherwise.
 */
export async function startReceiver(status: (n: number, seq: number) => number = () => 200, port = 0) {
  const requests: Received[] = [];
  const attempts: Attempt[] = [];
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seq = seqOf(req.headers);
      const code = status(count++, seq);
      attempts.push({ status: code, seq, at: Date.now() });
      if (code >= 200 && code < 300) requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.writeHead(code).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  onTestFinished(close);
  return {
    url: `http://127.0.0.1:${bound}/hook`,
    port: bound,
    /** Accepted notifications, in arrival order. */
    requests,
    /** Every request, accepted or not. */
    attempts,
    close,
    /** Resolves once `predicate` holds; on timeout the error shows how many requests came. */
    async until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
      await waitFor(() => ({ met: predicate(), requests: count, accepted: requests.length }), (s) => s.met, timeoutMs, 'the receiver\'s condition');
    },
  };
}

export const fastDelivery: PushDeliveryConfig = {
  allowlist: ['127.0.0.1'],
  maxAttempts: 5,
  baseDelayMs: 20,
  maxDelayMs: 200,
  timeoutMs: 2000,
};

export function openPush(core: Core, config: Partial<PushDeliveryConfig> = {}, signingKey: PushSigningKey = generatePushSigningKey(), log: Logger = createLogger('silent')) {
  const push = createPushService({
    repo: createPushRepository(core.db),
    bus: core.tasks,
    log,
    config: { ...fastDelivery, ...config },
    signingKey,
  });
  return { push, signingKey };
}

/**
 * An agent that waits until the test opens its gate, then reports working, `chunks` artifact
 * chunks and completed: events that are committed after the test has created its config.
 */
export function gatedAgent(chunks = 3) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const agent: AgentExecutor = {
    name: 'gated',
    description: 'waits for the test',
    skill: { id: 'gated', name: 'Gated', description: 'waits', tags: [] },
    async execute(ctx) {
      await gate;
      ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING });
      for (let i = 0; i < chunks; i++) {
        ctx.update({
          kind: 'artifact',
          artifact: { artifactId: 'out', name: 'out', description: '', parts: [{ content: { $case: 'text', value: `chunk ${i}` }, metadata: undefined, filename: '', mediaType: '' }], metadata: undefined, extensions: [] },
          append: i > 0,
          lastChunk: i === chunks - 1,
        });
      }
      ctx.update({ kind: 'status', state: TaskState.TASK_STATE_COMPLETED });
    },
  };
  return { agent, open: () => open() };
}
