import { describe, expect, it } from 'vitest';
import type { SessionSummary, SyncStatus } from '../../shared/monitor-api';
import { waitFor } from '../support/wait';
import { findTask, pair, sendAndSettle, startSyncHost, startTestRelay } from './support';

const put = (origin: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${origin}/api/sync/device`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const errorOf = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

describe("a device's name", () => {
  it('is set from the monitor API, kept across a restart, and shown by the other devices for its sessions', async () => {
    const relay = await startTestRelay();
    // Both machines are called "vm": the other device cannot tell them apart until one is renamed.
    const a = await startSyncHost('vm');
    const b = await startSyncHost('vm');
    await pair(a.dataDir, relay.relay.url, 'team', relay.token('team'));
    await pair(b.dataDir, relay.relay.url, 'team', relay.token('team'));
    const task = await sendAndSettle(a, 'made on the first vm');
    await waitFor(() => findTask(b, task.id), (t) => t !== undefined, 15_000, 'the session on B');
    const originName = async () => ((await (await fetch(`${b.origin}/api/sessions/${task.contextId}`)).json()) as SessionSummary).originName;
    await waitFor(originName, (name) => name === 'vm', 10_000, 'B names the session\'s device');

    const renamed = await put(a.origin, { name: '  build box  ' });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as SyncStatus).deviceName).toBe('build box');
    expect(a.host.sync.status().deviceName).toBe('build box');
    await waitFor(originName, (name) => name === 'build box', 15_000, 'B shows the new name');

    const dir = a.dataDir;
    await a.host.stop();
    const again = await startSyncHost('vm', { dataDir: dir });
    expect(again.host.sync.status().deviceName).toBe('build box');
  }, 60_000);

  it('refuses an empty, overlong or multi-line name, or a body without one, and keeps the old name', async () => {
    const a = await startSyncHost('vm');
    for (const [body, message] of [
      [{ name: '   ' }, 'The device name is empty'],
      [{ name: 'x'.repeat(65) }, 'at most 64'],
      [{ name: 'two\nlines' }, 'control character'],
      [{}, '"name" is required'],
    ] as const) {
      const res = await put(a.origin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await errorOf(res)).toContain(message);
    }
    // A page on another origin cannot rename the device (the host's cross-site guard).
    expect((await put(a.origin, { name: 'evil' }, { origin: 'http://evil.example' })).status).toBe(403);
    expect(a.host.sync.status().deviceName).toBe('vm');
  });
});
