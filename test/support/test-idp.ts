// A test OpenID provider: oidc-provider on 127.0.0.1 in its own process, as a team's Keycloak
// stands outside the host. Started by test/support/idp.ts; prints `READY <issuer>` once it
// listens and stops on SIGTERM. Access tokens are JWTs (RS256) for the resource they are asked
// for (default `api://codetether`), with the account's roles, or the roles a client-credentials
// request names, in a `roles` claim. `/test/*` lets a test shape it: set a client's redirect
// URIs, rotate the signing key, count JWKS fetches.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Adapter, type AdapterPayload, type Configuration } from 'oidc-provider';

const store = new Map<string, { payload: AdapterPayload; expiresAt: number | null }>();

/** One Map for every provider instance of this process: a key rotation keeps clients, sessions and grants. */
class MapAdapter implements Adapter {
  constructor(private readonly model: string) {}
  private key(id: string) {
    return `${this.model}:${id}`;
  }
  private live(key: string) {
    const row = store.get(key);
    if (!row || (row.expiresAt !== null && row.expiresAt <= Date.now())) return undefined;
    return row.payload;
  }
  async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
    store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null });
  }
  async find(id: string) {
    return this.live(this.key(id));
  }
  async findByUserCode(code: string) {
    for (const [k, v] of store) if (k.startsWith(`${this.model}:`) && v.payload.userCode === code) return this.live(k);
    return undefined;
  }
  async findByUid(uid: string) {
    for (const [k, v] of store) if (k.startsWith(`${this.model}:`) && v.payload.uid === uid) return this.live(k);
    return undefined;
  }
  async consume(id: string) {
    const row = store.get(this.key(id));
    if (row) row.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    store.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    for (const [k, v] of store) if (v.payload.grantId === grantId) store.delete(k);
  }
}

/** Roles of the test accounts: a login name picks its roles. */
const accountRoles: Record<string, string[]> = {
  alice: ['ct-admin'],
  bob: ['ct-viewer'],
  carol: [],
};

const keys: Record<string, unknown>[] = [];
let jwksFetches = 0;

async function newKey(): Promise<void> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  keys.unshift({ ...(await exportJWK(privateKey)), kid: `k${Date.now().toString(36)}${keys.length}`, alg: 'RS256', use: 'sig' });
}

/** A token request may ask for a short life (`ttl`, seconds): how a test gets a token that expires. */
function askedTtl(ctx: { oidc: { body?: unknown } }): number {
  return Number((ctx.oidc.body as Record<string, unknown> | undefined)?.ttl) || 600;
}

function makeProvider(issuer: string): Provider {
  const configuration: Configuration = {
    adapter: MapAdapter,
    jwks: { keys: keys as never },
    cookies: { keys: ['test-idp-cookie-key'] },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'api'],
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], email: ['email'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, preferred_username: id, name: id, email: `${id}@example.test` }),
    }),
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? 'api://codetether',
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => ({
          scope: 'api',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: askedTtl(ctx),
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (ctx, token) => {
      const asked = (ctx.oidc.body as Record<string, unknown> | undefined)?.roles;
      if (typeof asked === 'string') return { roles: asked.split(',').filter(Boolean) };
      const account = (token as { accountId?: string }).accountId;
      return account ? { roles: accountRoles[account] ?? [] } : undefined;
    },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    pkce: { required: () => false },
    ttl: { AccessToken: 600, ClientCredentials: askedTtl, IdToken: 600, RefreshToken: 3600, Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60 },
    clientBasedCORS: () => true,
  };
  return new Provider(issuer, configuration);
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

await newKey();
let provider: Provider;
let callback: ReturnType<Provider['callback']>;

const server = createServer((req, res) => {
  void (async () => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/jwks') jwksFetches++;
    if (path === '/test/client' && req.method === 'POST') {
      const body = await readBody(req);
      await new MapAdapter('Client').upsert(String(body.client_id), body as AdapterPayload);
      return json(res, 200, { ok: true });
    }
    if (path === '/test/rotate' && req.method === 'POST') {
      await newKey();
      provider = makeProvider(provider.issuer);
      callback = provider.callback();
      return json(res, 200, { kid: keys[0]!.kid });
    }
    if (path === '/test/stats') return json(res, 200, { jwksFetches, kids: keys.map((k) => k.kid) });
    return callback(req, res);
  })().catch((err: unknown) => {
    if (!res.headersSent) json(res, 500, { error: String(err) });
  });
});

server.listen(Number(process.env.IDP_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  provider = makeProvider(`http://127.0.0.1:${port}`);
  callback = provider.callback();
  process.stdout.write(`READY ${provider.issuer}\n`);
});

process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
