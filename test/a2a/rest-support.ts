import { TaskState } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, type Client } from '@a2a-js/sdk/client';
import type { Host } from '../../main/host/host';
import type { AgentExecutor } from '../../main/tasks/executor';
import { startTestHost, type ConfigFlags } from '../support/host';

/**
 * A test agent: reports working, then one artifact chunk every `ms` milliseconds, `ticks`
 * times (both from the message's metadata), then completes. Stops when its task is canceled.
 */
export const tickerAgent: AgentExecutor = {
  name: 'ticker',
  description: 'Emits numbered artifact chunks on a timer.',
  skill: { id: 'ticker', name: 'Ticker', description: 'Numbered chunks on a timer.', tags: ['test'] },
  async execute(ctx) {
    const meta = ctx.message.metadata ?? {};
    const ticks = Number(meta.ticks ?? 3);
    const ms = Number(meta.ms ?? 10);
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING });
    for (let i = 1; i <= ticks; i++) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        ctx.signal.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('aborted'))), { once: true });
      });
      ctx.update({
        kind: 'artifact',
        artifact: { artifactId: 'ticks', name: 'ticks', description: '', parts: [{ content: { $case: 'text', value: `tick ${i}` }, metadata: undefined, filename: '', mediaType: '' }], metadata: undefined, extensions: [] },
        append: i > 1,
        lastChunk: i === ticks,
      });
    }
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_COMPLETED });
  },
};

export interface RestHost {
  host: Host;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The HTTP+JSON base: origin + /v1 */
  rest: string;
  client: Client;
}

/** A real host on a temp data dir with the ticker agent, and the SDK client on HTTP+JSON. */
export async function startRestHost(flags: ConfigFlags = {}): Promise<RestHost> {
  const { host, origin } = await startTestHost({ config: { shutdownGraceMs: 300, ...flags }, agents: [tickerAgent] });
  const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { preferredTransports: ['HTTP+JSON'] }));
  const client = await factory.createFromUrl(origin);
  return { host, origin, rest: `${origin}/v1`, client };
}

export { sseFrames, type SseFrame } from '../support/sse-frames';

/** The payload kind of a bare StreamResponse JSON ("task", "statusUpdate", ...). */
export function kindOf(data: string): string {
  return Object.keys(JSON.parse(data) as Record<string, unknown>)[0]!;
}
