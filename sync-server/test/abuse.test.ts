import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectClient, synced, type Client } from './helpers/clients';
import { issueToken } from './helpers/data-dir';
import { tempDir } from '../../test/support/temp-dir';
import { killRelay, spawnRelay, type RelayProcess } from './helpers/relay-process';
import { waitFor } from '../../test/support/wait';

/** A raw socket on a document, for frames a real provider would never send. */
async function rawSocket(relay: RelayProcess, token: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`${relay.url}/w/doc?token=${token}`);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.on('error', () => undefined);
  await new Promise((resolve) => ws.once('message', resolve));
  return { ws, closed };
}

describe('a frame that breaks the rules closes that connection only', () => {
  const dir = tempDir();
  let relay: RelayProcess;
  let token: string;
  let a: Client;
  let b: Client;
  let edits = 0;

  /** Proves the well-behaved pair still syncs through the relay. */
  async function stillSyncing(): Promise<void> {
    const mark = `edit${++edits};`;
    a.doc.getText('t').insert(a.doc.getText('t').length, mark);
    await waitFor(b.text, (t) => t.includes(mark), 10_000, `${mark} on b`);
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
  }

  beforeAll(async () => {
    token = issueToken(dir, 'w');
    relay = await spawnRelay(dir, ['--max-message-bytes', String(64 * 1024), '--rate', '20', '--burst', '40']);
    a = connectClient(relay.url, 'w/doc', token);
    b = connectClient(relay.url, 'w/doc', token);
    await Promise.all([synced(a), synced(b)]);
  });
  afterAll(async () => {
    a.destroy();
    b.destroy();
    await killRelay(relay, 'SIGTERM');
  });

  it('closes a connection sending garbage with 1007', async () => {
    const raw = await rawSocket(relay, token);
    raw.ws.send(Buffer.from([0, 2, 200, 1, ...randomBytes(100)]));
    expect(await raw.closed).toBe(1007);
    await stillSyncing();
  });

  it('closes a connection sending a well-framed but undecodable update with 1007, storing nothing', async () => {
    const raw = await rawSocket(relay, token);
    raw.ws.send(Buffer.from([0, 2, 100, ...randomBytes(100)]));
    expect(await raw.closed).toBe(1007);
    await stillSyncing();
    const fresh = connectClient(relay.url, 'w/doc', token);
    await waitFor(fresh.text, (t) => t === a.text(), 10_000, 'a fresh client to load the document');
    fresh.destroy();
  });

  it('closes a connection sending an unknown message type with 1007', async () => {
    const raw = await rawSocket(relay, token);
    raw.ws.send(Buffer.from([42, 1, 2, 3]));
    expect(await raw.closed).toBe(1007);
    await stillSyncing();
  });

  it('closes a connection sending a text frame with 1003', async () => {
    const raw = await rawSocket(relay, token);
    raw.ws.send('hello');
    expect(await raw.closed).toBe(1003);
    await stillSyncing();
  });

  it('closes a connection sending an oversized frame with 1009', async () => {
    const raw = await rawSocket(relay, token);
    raw.ws.send(Buffer.alloc(64 * 1024 + 1));
    expect(await raw.closed).toBe(1009);
    await stillSyncing();
  });

  it('closes a connection that exceeds the message rate with 1008', async () => {
    const raw = await rawSocket(relay, token);
    const queryAwareness = Buffer.from([3]);
    for (let i = 0; i < 200; i++) raw.ws.send(queryAwareness);
    expect(await raw.closed).toBe(1008);
    await stillSyncing();
  });

  it('counts the refused connections in /metrics', async () => {
    const res = await fetch(`${relay.httpUrl}/metrics`, { headers: { accept: 'application/json' } });
    const metrics = (await res.json()) as Record<string, number>;
    expect(metrics.connectionsClosedForAbuse).toBeGreaterThanOrEqual(5);
    expect(metrics.connections).toBe(2);
  });
});
