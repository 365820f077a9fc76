import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, synced, type Client } from './helpers/clients';
import { issueToken } from './helpers/data-dir';
import { tempDir } from '../../test/support/temp-dir';
import { startRedis, type RedisProcess } from './helpers/redis';
import { killRelay, spawnRelay, type RelayProcess } from './helpers/relay-process';
import { waitFor } from '../../test/support/wait';

describe('two relay instances sharing one redis-server', () => {
  const dirs = [tempDir(), tempDir()];
  let redis: RedisProcess;
  let relays: RelayProcess[] = [];
  let token: string;
  const clients: Client[] = [];
  const client = (relay: RelayProcess, doc: string) => {
    const c = connectClient(relay.url, doc, token);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await startRedis();
    token = issueToken(dirs, 'team');
    // Idle documents unload fast, to show a later load catches up from Redis.
    relays = await Promise.all(dirs.map((d) => spawnRelay(d, ['--redis', redis.url, '--idle-unload-seconds', '0.2'])));
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await Promise.all(relays.map((r) => killRelay(r, 'SIGTERM')));
    await redis?.stop();
  });

  it('converges a client on each instance, both ways', async () => {
    const [r1, r2] = relays as [RelayProcess, RelayProcess];
    const a = client(r1, 'team/board');
    const b = client(r2, 'team/board');
    await Promise.all([synced(a), synced(b)]);
    a.doc.getText('t').insert(0, 'from a;');
    await waitFor(b.text, (t) => t === 'from a;', 10_000, 'a edit on b');
    b.doc.getText('t').insert(b.doc.getText('t').length, 'from b;');
    await waitFor(a.text, (t) => t === 'from a;from b;', 10_000, 'b edit on a');
    // Concurrent edits on both sides converge to the same text.
    for (let i = 0; i < 20; i++) {
      a.doc.getText('t').insert(0, 'A');
      b.doc.getText('t').insert(b.doc.getText('t').length, 'B');
    }
    await waitFor(() => [a.text(), b.text()], ([x, y]) => x === y && x!.length === 'from a;from b;'.length + 40, 10_000, 'convergence');
  });

  it('relays awareness between instances', async () => {
    const [r1, r2] = relays as [RelayProcess, RelayProcess];
    const a = client(r1, 'team/presence');
    const b = client(r2, 'team/presence');
    await Promise.all([synced(a), synced(b)]);
    a.provider.awareness.setLocalStateField('user', 'alice');
    await waitFor(
      () => b.provider.awareness.getStates().get(a.doc.clientID) as { user?: string } | undefined,
      (s) => s?.user === 'alice',
      10_000,
      'alice on b',
    );
  });

  it('serves a document written through one instance from the other, loaded only later', async () => {
    const [r1, r2] = relays as [RelayProcess, RelayProcess];
    const writer = client(r1, 'team/later');
    await synced(writer);
    writer.doc.getText('t').insert(0, 'written on r1 only');
    const reader = client(r1, 'team/later');
    await waitFor(reader.text, (t) => t === 'written on r1 only', 10_000, 'ack through r1');
    writer.destroy();
    reader.destroy();

    const late = client(r2, 'team/later');
    await waitFor(late.text, (t) => t === 'written on r1 only', 10_000, 'the text on r2');
    // r2 now holds it in its own store: stored once per instance.
    const metrics = (await (await fetch(`${r2.httpUrl}/metrics`, { headers: { accept: 'application/json' } })).json()) as Record<string, number>;
    expect(metrics.updatesPersisted).toBeGreaterThan(0);
  });

  it('republishes what only one instance stored after redis lost its data', async () => {
    const [r1, r2] = relays as [RelayProcess, RelayProcess];
    for (const c of clients.splice(0)) c.destroy();
    const writer = client(r1, 'team/lost');
    await synced(writer);
    writer.doc.getText('t').insert(0, 'survives a redis wipe');
    const reader = client(r1, 'team/lost');
    await waitFor(reader.text, (t) => t === 'survives a redis wipe', 10_000, 'ack through r1');
    writer.destroy();
    reader.destroy();
    await waitFor(() => docsLoaded(r1), (n) => n === 0, 10_000, 'r1 to unload its documents');

    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();

    // Loading it on r1 again puts r1's stored copy back into Redis, where r2 finds it.
    const reopened = client(r1, 'team/lost');
    await waitFor(reopened.text, (t) => t === 'survives a redis wipe', 10_000, 'r1 to load it from its store');
    const late = client(r2, 'team/lost');
    await waitFor(late.text, (t) => t === 'survives a redis wipe', 10_000, 'the text on r2');
  });

  it('reports redis in /healthz', async () => {
    const health = (await (await fetch(`${relays[0]!.httpUrl}/healthz`)).json()) as { redis: string };
    expect(health.redis).toBe('ok');
  });

  it('keeps serving local clients while Redis is gone, reports it, and still shuts down cleanly', async () => {
    const [r1] = relays as [RelayProcess, RelayProcess];
    await redis.stop();
    await waitFor(async () => (await fetch(`${r1.httpUrl}/healthz`)).status, (s) => s === 503, 10_000, 'healthz to report redis down');
    const a = client(r1, 'team/no-redis');
    const b = client(r1, 'team/no-redis');
    a.doc.getText('t').insert(0, 'local only');
    await waitFor(b.text, (t) => t === 'local only', 10_000, 'local sync without redis');
    r1.child.kill('SIGTERM');
    expect(await r1.exited).toBe(0);
  });
});

async function docsLoaded(relay: RelayProcess): Promise<number> {
  const res = await fetch(`${relay.httpUrl}/metrics`, { headers: { accept: 'application/json' } });
  return ((await res.json()) as { docsLoaded: number }).docsLoaded;
}
