import { describe, expect, it } from 'vitest';
import type { Host } from '../../main/host/host';
import { startTestHost } from '../support/host';
import { tempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';
import { pair, startTestRelay, text, type TestRelay } from './support';

const SESSIONS = 300;

/** A paired host with the production sync timings (30 s idle, 64 documents connected): only the backlog logic may make it fast. */
async function pairedHost(relay: TestRelay, name: string): Promise<Host> {
  const dataDir = tempDir(`ct-backlog-${name}-`);
  await pair(dataDir, relay.relay.url, 'team', relay.token('team'));
  return (await startTestHost({ dataDir, sync: { settingsPollMs: 100, deviceName: name } })).host;
}

function syncedFrom(host: Host): number {
  return (host.db.prepare("SELECT count(*) AS n FROM tasks WHERE origin IS NOT NULL AND state = 'completed'").get() as { n: number }).n;
}

describe('a sync backlog', () => {
  it(`of ${SESSIONS} sessions made while the relay was down reaches the other host soon after the relay returns, and status says what waits`, async () => {
    const relay = await startTestRelay();
    const a = await pairedHost(relay, 'desk');
    const b = await pairedHost(relay, 'laptop');
    for (const h of [a, b]) await waitFor(() => h.sync.status().state, (s) => s === 'connected', 15_000, 'paired host connected');

    await relay.stop();
    await waitFor(() => a.sync.status().state, (s) => s === 'offline', 15_000, 'A offline');
    for (let i = 0; i < SESSIONS; i++) {
      const { task } = await a.tasks.send({ message: text(`offline session ${i}`) });
      await a.tasks.settled(task.id);
    }
    // Every session is in its document, waiting for the relay.
    await waitFor(() => a.sync.status().pending, (n) => n >= SESSIONS, 30_000, "A's documents written");
    expect(a.sync.status().state).toBe('offline');

    await relay.restart();
    const back = Date.now();
    // Status tells the truth while the backlog moves: A's updates wait, or B's sessions do.
    expect(a.sync.status().pending).toBeGreaterThan(0);
    // ...and B says how many sessions it still has to fetch while it fetches them.
    let waitingOnB = 0;
    const arrived = () => {
      waitingOnB = Math.max(waitingOnB, b.sync.status().docsWaiting);
      return syncedFrom(b);
    };
    await waitFor(arrived, (n) => n === SESSIONS, 60_000, `all ${SESSIONS} sessions on B`);
    const catchUpMs = Date.now() - back;
    console.log(`${SESSIONS} sessions made while the relay was down: on B ${catchUpMs} ms after the relay returned`);

    expect(waitingOnB).toBeGreaterThan(0);
    await waitFor(() => a.sync.status().pending, (n) => n === 0, 15_000, "A's updates all confirmed");
    await waitFor(() => b.sync.status().docsWaiting, (n) => n === 0, 15_000, 'B has nothing waiting');
    expect(a.sync.status().docsWaiting).toBe(0);
  });
});
