import { describe, expect, it } from 'vitest';
import { startTestHost } from '../support/host';

describe('the authorization server loads after listen', () => {
  it('answers its metadata to a request sent the moment the host listens, waiting for oidc-provider instead of refusing', async () => {
    const { origin } = await startTestHost({ config: { shutdownGraceMs: 200 } });
    const [metadata, health] = await Promise.all([fetch(`${origin}/.well-known/oauth-authorization-server/oauth`), fetch(`${origin}/healthz`)]);
    expect(health.status).toBe(200);
    expect(metadata.status).toBe(200);
    expect(((await metadata.json()) as { issuer: string }).issuer).toBe(`${origin}/oauth`);
  });
});
