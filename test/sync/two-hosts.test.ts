import { TaskState } from '@a2a-js/sdk';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/main';
import type { TestHost } from '../support/host';
import { findTask, historyText, pair, sendAndSettle, startSyncHost, startTestRelay, type TestRelay } from './support';
import { waitFor } from '../support/wait';

const COMPLETED = TaskState.TASK_STATE_COMPLETED;

describe('two hosts and one relay process', () => {
  let relay: TestRelay | undefined;
  let a: TestHost | undefined;
  let b: TestHost | undefined;

  beforeEach(async () => {
    relay = await startTestRelay();
    a = await startSyncHost();
    b = await startSyncHost();
    await pair(a.dataDir, relay.relay.url, 'team', relay.token('team'));
    await pair(b.dataDir, relay.relay.url, 'team', relay.token('team'));
  });

  it('a session created on A appears on B; a message continued on B appears on A', async () => {
    const first = await sendAndSettle(a!, 'hello from the desktop');
    expect(first.status?.state).toBe(COMPLETED);

    const onB = await waitFor(() => findTask(b!, first.id), (t) => t?.status?.state === COMPLETED && t.artifacts.length === 1, 15_000, 'A\'s task on B');
    expect(onB!.contextId).toBe(first.contextId);
    expect(historyText(onB)).toEqual(['hello from the desktop', 'hello from the desktop']);
    expect(onB!.artifacts[0]!.parts[0]!.content).toEqual({ $case: 'text', value: 'hello from the desktop' });
    expect(b!.host.tasks.list({ contextId: first.contextId }).tasks.map((t) => t.id)).toEqual([first.id]);
    // A's task is a read-only copy on B: B neither runs nor changes it.
    await expect(b!.host.tasks.cancel(first.id)).rejects.toThrow(/runs on (device "[^"]+"|another device \(.+\)) and is read-only here/);

    const second = await sendAndSettle(b!, 'continued on the laptop', first.contextId);
    expect(second.contextId).toBe(first.contextId);
    const onA = await waitFor(() => findTask(a!, second.id), (t) => t?.status?.state === COMPLETED, 15_000, 'B\'s task on A');
    expect(historyText(onA)).toEqual(['continued on the laptop', 'continued on the laptop']);
    expect(a!.host.tasks.list({ contextId: first.contextId }).totalSize).toBe(2);

    await waitFor(() => a!.host.sync.status(), (s) => s.state === 'connected' && s.pending === 0 && s.lastSyncedAt !== undefined, 10_000, 'A acknowledged');
    await waitFor(() => b!.host.sync.status(), (s) => s.state === 'connected' && s.pending === 0, 10_000, 'B acknowledged');
  });

  it('converges after the relay was down while both hosts changed things', async () => {
    const shared = await sendAndSettle(a!, 'before the outage');
    await waitFor(() => findTask(b!, shared.id), (t) => t?.status?.state === COMPLETED, 15_000, 'first task on B');

    await relay!.stop();
    await waitFor(() => a!.host.sync.status(), (s) => s.state === 'offline', 10_000, 'A offline');
    const offA = await sendAndSettle(a!, 'offline on A', shared.contextId);
    const offANew = await sendAndSettle(a!, 'a new session on A while offline');
    const offB = await sendAndSettle(b!, 'offline on B', shared.contextId);
    const offBNew = await sendAndSettle(b!, 'a new session on B while offline');
    await waitFor(() => a!.host.sync.status(), (s) => s.pending > 0, 5_000, 'A has updates waiting');
    expect(b!.host.sync.status().pending).toBeGreaterThan(0);

    await relay!.restart();
    for (const t of [offB, offBNew]) await waitFor(() => findTask(a!, t.id), (x) => x?.status?.state === COMPLETED, 20_000, `B's ${t.id} on A`);
    for (const t of [offA, offANew]) await waitFor(() => findTask(b!, t.id), (x) => x?.status?.state === COMPLETED, 20_000, `A's ${t.id} on B`);
    for (const h of [a!, b!]) {
      expect(h.host.tasks.list({ contextId: shared.contextId }).totalSize).toBe(3);
      await waitFor(() => h.host.sync.status(), (s) => s.state === 'connected' && s.pending === 0, 15_000, 'nothing waiting');
    }
    const sessionOnA = a!.host.tasks.list({ contextId: shared.contextId, historyLength: 10 }).tasks.flatMap((t) => historyText(t)).sort();
    const sessionOnB = b!.host.tasks.list({ contextId: shared.contextId, historyLength: 10 }).tasks.flatMap((t) => historyText(t)).sort();
    expect(sessionOnA).toEqual(sessionOnB);
    expect(sessionOnA).toHaveLength(6);
  });

  it('sync status finds the running host and answers from it, and from the settings when it is down', async () => {
    await sendAndSettle(a!, 'status check');
    await waitFor(() => a!.host.sync.status(), (s) => s.state === 'connected' && s.pending === 0, 10_000, 'A synced');
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    // No --host-url: the CLI finds the host running on the data dir (its port is ephemeral) by its runtime file.
    expect(await main(['sync', 'status', '--json', '--data-dir', a!.dataDir], io)).toBe(0);
    const status = JSON.parse(out.pop()!) as { state: string; workspace: string; pending: number; lastSyncedAt: string; deviceId: string };
    expect(status).toMatchObject({ state: 'connected', workspace: 'team', pending: 0 });
    expect(await main(['sync', 'status', '--data-dir', a!.dataDir, '--host-url', a!.origin], io)).toBe(0);
    expect(out.pop()).toMatch(new RegExp(`Device: +\\S+ \\(${status.deviceId}\\)`));
    expect(Date.parse(status.lastSyncedAt)).toBeGreaterThan(0);

    const dataDir = a!.dataDir;
    await a!.host.stop();
    expect(await main(['sync', 'status', '--data-dir', dataDir, '--host-url', a!.origin], io)).toBe(0);
    expect(out.pop()).toMatch(/^Host not running[\s\S]*Workspace: +team/);
    expect(await main(['sync', 'leave', '--data-dir', dataDir], io)).toBe(0);
    expect(await main(['sync', 'status', '--data-dir', dataDir, '--host-url', a!.origin], io)).toBe(0);
    expect(out.pop()).toMatch(/Not in a workspace/);
  });
});
