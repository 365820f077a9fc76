import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { whenDone } from './cleanup';

const script = resolve(import.meta.dirname, 'test-idp.ts');

export interface TestIdp {
  issuer: string;
  /** Registers (or replaces) a client at the provider. */
  client(metadata: Record<string, unknown>): Promise<void>;
  /** A client-credentials access token (a JWT), for `resource` (default the host's audience), with these roles, lasting `ttl` seconds. */
  token(clientId: string, secret: string, options?: { resource?: string; roles?: string[]; ttl?: number }): Promise<string>;
  /** Makes a new signing key the one in use (the old one stays published); resolves with its kid. */
  rotate(): Promise<string>;
  stats(): Promise<{ jwksFetches: number; kids: string[] }>;
  stop(): Promise<void>;
}

/** The test OpenID provider (test-idp.ts) in its own process on 127.0.0.1; resolves once it listens. Stopped when the test (or file) is done, if not before. */
export async function startTestIdp(): Promise<TestIdp> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const issuer = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`test IdP did not start: ${out}`)), 30_000);
    const check = () => {
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        done(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', () => fail(new Error(`test IdP exited: ${out}`)));
  });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${issuer}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  whenDone(stop);
  return {
    issuer,
    client: async (metadata) => void (await post('/test/client', metadata)),
    async token(clientId, secret, options = {}) {
      const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'api', resource: options.resource ?? 'api://codetether' });
      if (options.roles) form.set('roles', options.roles.join(','));
      if (options.ttl) form.set('ttl', String(options.ttl));
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!body.access_token) throw new Error(`token: ${res.status} ${body.error}: ${body.error_description}`);
      return body.access_token;
    },
    rotate: async () => String((await post('/test/rotate', {})).kid),
    stats: async () => (await (await fetch(`${issuer}/test/stats`)).json()) as { jwksFetches: number; kids: string[] },
    stop,
  };
}
