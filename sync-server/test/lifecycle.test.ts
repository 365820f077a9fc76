import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseRelayConfig } from '../config';
import { createLog } from '../log';
import { startRelay, type Relay } from '../relay';
import { connectClient, synced, type Client } from './helpers/clients';
import { issueToken } from './helpers/data-dir';
import { tempDir } from '../../test/support/temp-dir';
import { waitFor } from '../../test/support/wait';

describe('an in-process relay: idle unload, compaction, health and metrics, revocation', () => {
  const dir = tempDir();
  let relay: Relay;
  let token: string;
  let http: string;
  const clients: Client[] = [];
  const client = (doc: string) => {
    const c = connectClient(relay.url, doc, token);
    clients.push(c);
    return c;
  };
  const metrics = async () =>
    (await (await fetch(`${http}/metrics`, { headers: { accept: 'application/json' } })).json()) as Record<string, number>;
  const logRows = (doc: string) => {
    const db = new Database(join(dir, 'relay.db'), { readonly: true });
    try {
      return {
        updates: db.prepare('SELECT count(*) FROM doc_updates WHERE doc = ?').pluck().get(doc) as number,
        snapshots: db.prepare('SELECT count(*) FROM doc_snapshots WHERE doc = ?').pluck().get(doc) as number,
      };
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    token = issueToken(dir, 'w');
    const config = parseRelayConfig({ dataDir: dir, port: 0, idleUnloadMs: 300, compactEvery: 10, revokeCheckMs: 100, logLevel: 'silent' });
    relay = await startRelay(config, createLog('silent'));
    http = relay.url.replace('ws://', 'http://');
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await relay.stop();
  });

  it('unloads a document once it has had no connection for the idle time, and reloads it intact', async () => {
    const a = client('w/idle');
    await synced(a);
    a.doc.getText('t').insert(0, 'kept across unload');
    await waitFor(metrics, (m) => m.updatesPersisted! >= 1, 5_000, 'the update to be persisted');
    expect((await metrics()).docsLoaded).toBe(1);
    a.destroy();

    const unloaded = await waitFor(metrics, (m) => m.docsLoaded === 0, 5_000, 'the document to unload');
    expect(unloaded.docsUnloaded).toBeGreaterThanOrEqual(1);
    // Unloading folded the log into the snapshot.
    expect(logRows('w/idle')).toEqual({ updates: 0, snapshots: 1 });

    const b = client('w/idle');
    await waitFor(b.text, (t) => t === 'kept across unload', 5_000, 'the reloaded text');
  });

  it('keeps a document loaded while a client is connected', async () => {
    const a = client('w/busy');
    await synced(a);
    await new Promise((r) => setTimeout(r, 800));
    expect((await metrics()).docsLoaded).toBeGreaterThanOrEqual(1);
    a.doc.getText('t').insert(0, 'still here');
    const b = client('w/busy');
    await waitFor(b.text, (t) => t === 'still here', 5_000, 'text on b');
  });

  it('compacts the update log into a snapshot after N updates', async () => {
    const a = client('w/compact');
    await synced(a);
    for (let i = 0; i < 25; i++) a.doc.getArray<number>('n').push([i]);
    await waitFor(() => logRows('w/compact'), (r) => r.snapshots === 1 && r.updates === 5, 5_000, 'two compactions and five logged updates');
    const b = client('w/compact');
    await waitFor(() => b.doc.getArray('n').length, (n) => n === 25, 5_000, 'all 25 items on b');
  });

  it('answers /healthz and /metrics (Prometheus text and JSON)', async () => {
    const health = await fetch(`${http}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', redis: 'disabled' });

    const text = await (await fetch(`${http}/metrics`)).text();
    expect(text).toMatch(/^# TYPE codetether_relay_connections gauge$/m);
    expect(text).toMatch(/^codetether_relay_connections \d+$/m);
    expect(text).toMatch(/^codetether_relay_docs_loaded \d+$/m);
    expect(text).toMatch(/^codetether_relay_updates_persisted_total [1-9]\d*$/m);
    expect(text).toMatch(/^codetether_relay_bytes_persisted_total [1-9]\d*$/m);

    const json = await metrics();
    expect(json.connections).toBe(clients.filter((c) => c.provider.wsconnected).length);
    expect((await fetch(`${http}/nope`)).status).toBe(404);
    expect((await fetch(`${http}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('closes live connections of a token once it is revoked', async () => {
    const doomed = issueToken(dir, 'w');
    const ws = new WebSocket(`${relay.url}/w/revoked?token=${doomed}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('message', resolve));
    const db = new Database(join(dir, 'relay.db'));
    db.prepare('UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL AND id = (SELECT max(id) FROM tokens)').run(Date.now());
    db.close();
    expect(await closed).toBe(4401);
  });
});
