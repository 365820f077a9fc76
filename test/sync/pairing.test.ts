import { TaskState } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { findTask, pair, sendAndSettle, startSyncHost, startTestRelay } from './support';
import { waitFor } from '../support/wait';

const COMPLETED = TaskState.TASK_STATE_COMPLETED;

describe('pairing a device', () => {

  it('uploads the sessions a device had before it joined, and a late joiner receives them', async () => {
    const relay = await startTestRelay();
    const a = await startSyncHost();
    const before = [await sendAndSettle(a, 'made before joining'), await sendAndSettle(a, 'also before joining')];
    await pair(a.dataDir, relay.relay.url, 'team', relay.token('team'));
    await waitFor(() => a.host.sync.status(), (s) => s.state === 'connected' && s.pending === 0 && s.lastSyncedAt !== undefined, 15_000, 'A uploaded');

    const b = await startSyncHost();
    await pair(b.dataDir, relay.relay.url, 'team', relay.token('team'));
    for (const t of before) await waitFor(() => findTask(b, t.id), (x) => x?.status?.state === COMPLETED, 15_000, `${t.id} on B`);
  });

  it('a token for one workspace cannot read another: the relay refuses and nothing arrives', async () => {
    const relay = await startTestRelay();
    const a = await startSyncHost();
    await pair(a.dataDir, relay.relay.url, 'team', relay.token('team'));
    const secret = await sendAndSettle(a, 'team only');
    await waitFor(() => a.host.sync.status(), (s) => s.pending === 0 && s.lastSyncedAt !== undefined, 15_000, 'A uploaded');

    const intruder = await startSyncHost();
    await pair(intruder.dataDir, relay.relay.url, 'team', relay.token('other'));
    const status = await waitFor(() => intruder.host.sync.status(), (s) => s.lastError !== undefined, 10_000, 'refusal');
    expect(status.lastError).toMatch(/4403/);
    expect(status.state).toBe('offline');

    const neighbour = await startSyncHost();
    await pair(neighbour.dataDir, relay.relay.url, 'other', relay.token('other'));
    await waitFor(() => neighbour.host.sync.status(), (s) => s.state === 'connected' && s.lastSyncedAt !== undefined, 10_000, 'neighbour synced');
    await new Promise((r) => setTimeout(r, 300));
    expect(findTask(intruder, secret.id)).toBeUndefined();
    expect(findTask(neighbour, secret.id)).toBeUndefined();
    expect(neighbour.host.tasks.list({}).totalSize).toBe(0);
  });

  it('a restarted host loads no session document until one is needed, and keeps syncing', async () => {
    const relay = await startTestRelay();
    const a = await startSyncHost();
    const b = await startSyncHost();
    await pair(a.dataDir, relay.relay.url, 'team', relay.token('team'));
    await pair(b.dataDir, relay.relay.url, 'team', relay.token('team'));
    const tasks = [];
    for (let i = 0; i < 5; i++) tasks.push(await sendAndSettle(a, `session ${i}`));
    for (const t of tasks) await waitFor(() => findTask(b, t.id), (x) => x?.status?.state === COMPLETED, 15_000, `${t.id} on B`);

    const dir = b.dataDir;
    await b.host.stop();
    const again = await startSyncHost(undefined, { dataDir: dir });
    await waitFor(() => again.host.sync.status(), (s) => s.state === 'connected', 10_000, 'B back');
    expect(again.host.sync.status().docsLoaded).toBe(1);
    expect(again.host.tasks.list({}).totalSize).toBe(5);

    const after = await sendAndSettle(a, 'after the restart', tasks[0]!.contextId);
    await waitFor(() => findTask(again, after.id), (x) => x?.status?.state === COMPLETED, 15_000, 'new task on restarted B');
  });
});
