import type { TaskUpdate } from '../../tasks/executor';
import { backoff } from './backoff';
import type { CallResult, HostClient } from './client';
import { encodeUpdate, workerPaths, type WireUpdate } from '../wire/protocol';

export interface RunReporterOptions {
  client: HostClient;
  session: string;
  lease: string;
  /** The host refused this run's updates (lease lost, task canceled, session gone): stop the run. */
  onRefused(result: Extract<CallResult, { kind: 'refused' }>): void;
}

/**
 * Streams one run's updates to the host in batches, one request at a time: whatever piles up
 * while a batch is in flight becomes the next batch. Each batch keeps its seq through retries,
 * so a batch whose answer was lost in a network drop is sent again and acknowledged, not applied
 * twice; and batches go strictly in order, so nothing is lost either.
 */
export function createRunReporter(options: RunReporterOptions) {
  const { client, session, lease } = options;
  let pending: WireUpdate[] = [];
  let seq = 0;
  let sending: Promise<void> | undefined;
  let refused = false;

  async function send(path: string, body: unknown): Promise<boolean> {
    for (let attempt = 0; !refused; attempt++) {
      const result = await client.call(path, body);
      if (result.kind === 'ok') return true;
      if (result.kind === 'refused') {
        refused = true;
        options.onRefused(result);
        return false;
      }
      await backoff(attempt);
    }
    return false;
  }

  async function drain(): Promise<void> {
    while (pending.length && !refused) {
      const batch = { seq: ++seq, updates: pending };
      pending = [];
      await send(workerPaths.events(session, lease), batch);
    }
    sending = undefined;
  }

  return {
    push(updates: TaskUpdate[]): void {
      if (refused) return;
      pending.push(...updates.map(encodeUpdate));
      sending ??= drain();
    },
    get refused() {
      return refused;
    },
    /** Sends what is left, then tells the host the run is over. */
    async finish(error?: string): Promise<void> {
      while (sending) await sending;
      if (!refused) await send(workerPaths.complete(session, lease), { error });
    },
  };
}

export type RunReporter = ReturnType<typeof createRunReporter>;
