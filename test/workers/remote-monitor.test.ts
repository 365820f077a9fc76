import { describe, expect, it } from 'vitest';
import type { FeedEvent, Overview, WorkerInfo } from '../../shared/monitor-api';
import { startTestHost } from '../support/host';
import { sseFrames } from '../support/sse-frames';
import { token } from './remote-support';

/** Feed events until `until` says stop. */
async function feedUntil(url: string, until: (e: FeedEvent) => boolean): Promise<FeedEvent[]> {
  const ctl = new AbortController();
  const res = await fetch(url, { signal: ctl.signal });
  const events: FeedEvent[] = [];
  for await (const frame of sseFrames(res)) {
    events.push(JSON.parse(frame.data) as FeedEvent);
    if (until(events.at(-1)!)) break;
  }
  ctl.abort();
  return events;
}

describe('remote workers in the monitor', () => {
  it('lists a registered worker with its codebases, load and heartbeat in the overview, and refreshes it on the feed', async () => {
    const { host, origin: base } = await startTestHost({ config: { shutdownGraceMs: 200 } });
    const before = Date.now();
    const registered = await fetch(`${base}/workers/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token(host, ['worker'])}` },
      body: JSON.stringify({ workerId: 'w-1', name: 'build-box', codebases: ['api', 'web'], agents: ['opencode'], concurrency: 2 }),
    });
    expect(registered.status).toBe(200);

    const overview = (await (await fetch(`${base}/api/overview`)).json()) as Overview;
    const remote = overview.workers.find((w) => !w.local);
    expect(overview.workers[0]!.local).toBe(true);
    expect(remote).toMatchObject({ name: 'build-box', codebases: ['api', 'web'], load: 0 });
    expect(remote!.heartbeatAt).toBeGreaterThanOrEqual(before);

    // With a remote worker online the feed sends the list again, so its heartbeat age stays current.
    const events = await feedUntil(`${base}/api/events`, (e) => e.type === 'workers');
    expect(events[0]!.type).toBe('snapshot');
    const workers = (events.at(-1) as { workers: WorkerInfo[] }).workers;
    expect(workers.map((w) => w.name)).toContain('build-box');
  }, 15_000);
});
