import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closedByServer, connectClient, synced, type Client } from './helpers/clients';
import { issueToken } from './helpers/data-dir';
import { tempDir } from '../../test/support/temp-dir';
import { killRelay, spawnRelay, type RelayProcess } from './helpers/relay-process';
import { waitFor } from '../../test/support/wait';

describe('relay authentication per workspace', () => {
  const dir = tempDir();
  let relay: RelayProcess;
  let tokenX: string;
  let tokenY: string;
  const clients: Client[] = [];
  const client = (doc: string, token: string | undefined) => {
    const c = connectClient(relay.url, doc, token);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    tokenX = issueToken(dir, 'x');
    tokenY = issueToken(dir, 'y');
    relay = await spawnRelay(dir);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await killRelay(relay, 'SIGTERM');
  });

  it('lets a workspace-X token neither read nor write a workspace-Y document', async () => {
    const owner = client('y/notes', tokenY);
    await synced(owner);
    owner.doc.getText('t').insert(0, 'secret of y');

    const intruder = client('y/notes', tokenX);
    const closed = await closedByServer(intruder);
    expect(closed.code).toBe(4403);
    intruder.doc.getText('t').insert(0, 'written by x');

    // A second Y client sees the owner's text and never the intruder's.
    const reader = client('y/notes', tokenY);
    await waitFor(reader.text, (t) => t === 'secret of y', 10_000, 'the owner text');
    expect(intruder.text()).toBe('written by x');
    await new Promise((r) => setTimeout(r, 300));
    expect(reader.text()).toBe('secret of y');
    expect(owner.text()).toBe('secret of y');
  });

  it('lets the X token use its own workspace', async () => {
    const a = client('x/notes', tokenX);
    const b = client('x/notes', tokenX);
    a.doc.getText('t').insert(0, 'hello x');
    await waitFor(b.text, (t) => t === 'hello x', 10_000, 'x text on b');
  });

  it('closes with 4401 without a token or with a wrong one', async () => {
    expect((await closedByServer(client('x/notes', undefined))).code).toBe(4401);
    expect((await closedByServer(client('x/notes', 'ctr_' + 'A'.repeat(43)))).code).toBe(4401);
    expect((await closedByServer(client('x/notes', 'not-a-token'))).code).toBe(4401);
  });

  it('accepts the token as a bearer header', async () => {
    const ws = new WebSocket(`${relay.url}/x/notes`, { headers: { authorization: `Bearer ${tokenX}` } });
    const first = await new Promise<Buffer>((resolve, reject) => {
      ws.once('message', (data: Buffer) => resolve(data));
      ws.once('close', (code) => reject(new Error(`closed ${code}`)));
    });
    expect(first[0]).toBe(0);
    ws.close();
  });

  it('answers 404 at the upgrade for a path that is not a document', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${relay.url}/only-one-part?token=${tokenX}`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(404);
  });
});
