import { describe, expect, it } from 'vitest';
import { startTestHost, type ConfigFlags } from '../support/host';
import { call } from './support';

async function host(settings: ConfigFlags) {
  const { origin } = await startTestHost({ config: settings });
  return Number(new URL(origin).port);
}

describe('the host wires the guard from config', () => {
  it('checks Host on its default loopback bind and serves anonymous local callers', async () => {
    const port = await host({});
    expect((await call(port, '/healthz', { headers: { host: 'rebound.example' } })).status).toBe(403);
    expect((await call(port, '/healthz')).status).toBe(200);
    expect((await call(port, '/nowhere')).status).toBe(404);
  });

  it('also accepts the public URL\'s host, as a reverse proxy sends it', async () => {
    const port = await host({ publicUrl: 'https://Hub.Example.com/' });
    expect((await call(port, '/healthz', { headers: { host: 'hub.example.com' } })).status).toBe(200);
    expect((await call(port, '/healthz', { headers: { host: 'hub.example.com:443' } })).status).toBe(200);
    expect((await call(port, '/healthz', { headers: { host: 'other.example.com' } })).status).toBe(403);
  });

  it('applies requireAuth on loopback', async () => {
    const port = await host({ requireAuth: true });
    expect((await call(port, '/healthz')).status).toBe(200);
    expect((await call(port, '/nowhere')).status).toBe(401);
    // Webhook receivers hold no token of ours but must fetch the key that verifies our signatures.
    expect((await call(port, '/.well-known/codetether-push-key')).status).toBe(200);
  });
});
