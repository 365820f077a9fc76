import { ClientFactory, ClientFactoryOptions, type Client } from '@a2a-js/sdk/client';
import type { Host } from '../../main/host/host';
import { tickerAgent } from '../support/agents';
import { startTestHost, type ConfigFlags } from '../support/host';

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
