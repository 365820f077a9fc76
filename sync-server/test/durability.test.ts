import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { connectClient, synced, type Client } from './helpers/clients';
import { issueToken } from './helpers/data-dir';
import { tempDir } from '../../test/support/temp-dir';
import { killRelay, spawnRelay, type RelayProcess } from './helpers/relay-process';
import { waitFor } from '../../test/support/wait';

describe('relay durability across restarts', () => {
  const dir = tempDir();
  let relay: RelayProcess | undefined;
  const clients: Client[] = [];
  const client = (url: string, doc: string, token: string) => {
    const c = connectClient(url, doc, token);
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await killRelay(relay);
  });

  it('loses no acknowledged update when the relay is killed with SIGKILL mid-sync', async () => {
    const token = issueToken(dir, 'w');
    relay = await spawnRelay(dir, ['--compact-every', '50']);
    const writer = client(relay.url, 'w/crash', token);
    const observer = client(relay.url, 'w/crash', token);
    await Promise.all([synced(writer), synced(observer)]);

    let next = 0;
    const writing = setInterval(() => {
      for (let i = 0; i < 5; i++) writer.doc.getArray<number>('log').push([next++]);
    }, 2);
    await waitFor(() => observer.doc.getArray('log').length, (n) => n >= 300, 20_000, 'the observer to see 300 items');
    relay.child.kill('SIGKILL');
    // Whatever the observer holds now went through the relay, which sends nothing before it commits.
    const acknowledged = observer.doc.getArray<number>('log').toArray();
    clearInterval(writing);
    await relay.exited;
    for (const c of clients.splice(0)) c.destroy();
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    relay = await spawnRelay(dir);
    const fresh = client(relay.url, 'w/crash', token);
    await synced(fresh);
    const recovered = new Set(fresh.doc.getArray<number>('log').toArray());
    const lost = acknowledged.filter((n) => !recovered.has(n));
    expect(lost).toEqual([]);
  });

  it('converges edits two clients made while the relay was down, after a graceful restart', async () => {
    const token = issueToken(dir, 'w');
    relay = await spawnRelay(dir);
    const port = relay.port;
    const a = client(relay.url, 'w/offline', token);
    const b = client(relay.url, 'w/offline', token);
    await Promise.all([synced(a), synced(b)]);
    a.doc.getMap('m').set('base', 'shared');
    await waitFor(() => b.doc.getMap('m').get('base'), (v) => v === 'shared', 10_000, 'base on b');

    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    await waitFor(() => a.provider.wsconnected || b.provider.wsconnected, (c) => !c, 5_000, 'both clients to notice');

    a.doc.getMap('m').set('a', 'edited offline on a');
    b.doc.getMap('m').set('b', 'edited offline on b');
    b.doc.getText('t').insert(0, 'b text');
    a.doc.getText('t').insert(0, 'a text ');

    relay = await spawnRelay(dir, ['--port', String(port)]);
    const expected = (doc: Y.Doc) => JSON.stringify({ m: Object.entries(doc.getMap('m').toJSON()).sort(), t: doc.getText('t').toString() });
    await waitFor(() => [expected(a.doc), expected(b.doc)], ([x, y]) => x === y && x!.includes('offline on a') && x!.includes('offline on b'), 15_000, 'a and b to converge');

    const fresh = client(relay.url, 'w/offline', token);
    await waitFor(() => expected(fresh.doc), (x) => x === expected(a.doc), 10_000, 'a fresh client to load the merged state');
    expect(a.doc.getMap('m').toJSON()).toEqual({ base: 'shared', a: 'edited offline on a', b: 'edited offline on b' });
  });
});
