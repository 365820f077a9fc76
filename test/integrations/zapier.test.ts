import { createRequire } from 'node:module';
import type { IncomingHttpHeaders } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HookSubscription, RalphHookBody, TaskHookBody } from '../../shared/hooks-api';
import { prd, ralphHost } from '../ralph/support';
import { addCodebases, api, hookHost } from '../push/hook-support';
import { startReceiver, type Received } from '../push/support';
import { waitFor } from '../support/wait';

/**
 * The Zapier app in integrations/zapier, run by zapier-platform-core's own test tooling
 * (createAppTester: the app's operations as Zapier runs them, with its request client and
 * middlewares) against a real host on 127.0.0.1 that requires tokens.
 */
const require = createRequire(import.meta.url);
const zapier = require('zapier-platform-core') as { createAppTester: (app: unknown) => AppTester };
const App = require('../../integrations/zapier/index.js') as ZapierApp;
type AppTester = <T = unknown>(method: unknown, bundle: Record<string, unknown>) => Promise<T>;
type Operation = Record<string, unknown>;
interface ZapierApp {
  authentication: { test: unknown; oauth2Config: OAuthConfig };
  triggers: Record<string, { operation: Operation }>;
  creates: Record<string, { operation: Operation }>;
  searches: Record<string, { operation: Operation }>;
}
interface Item { id: string; [key: string]: unknown }
interface OAuthConfig { authorizeUrl: unknown; getAccessToken: unknown; refreshAccessToken: unknown }

const appTester = zapier.createAppTester(App);

/** The raw request as Zapier hands a hook trigger its delivery: headers as `Http-X-Name`. */
function rawRequestOf(received: Received, content = received.body) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(received.headers as IncomingHttpHeaders)) {
    headers[`Http-${name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())}`] = String(value);
  }
  return { method: 'POST', querystring: '', headers, content };
}

/** Zapier's redirect URI for a CLI app: the authorization server sends the code there. */
const ZAPIER_REDIRECT = 'https://zapier.com/dashboard/auth/oauth/return/App1234CLIAPI/';

/**
 * What Zapier and the user's browser do between authorizeUrl and getAccessToken: add the
 * redirect URI, state and PKCE challenge, open the URL, approve on the host's consent screen (as
 * its API, with the approving user's token), and follow the host back to the redirect URI.
 */
async function authorizeAsZapier(authorizeUrl: string, origin: string, userToken: string) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const url = new URL(authorizeUrl);
  url.searchParams.set('redirect_uri', ZAPIER_REDIRECT);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
  url.searchParams.set('code_challenge_method', 'S256');
  const cookies = new Map<string, string>();
  const visit = async (href: string) => {
    const res = await fetch(href, { redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    await res.arrayBuffer();
    expect([302, 303]).toContain(res.status);
    return new URL(res.headers.get('location')!, href);
  };
  const consentPage = await visit(url.href);
  const uid = /consent\/([^/?#]+)/.exec(consentPage.hash)?.[1];
  expect(uid).toBeTruthy();
  const answer = await api<{ redirectTo: string }>(origin, `/api/oauth/consent/${uid}`, { body: { approve: true }, headers: { authorization: `Bearer ${userToken}` } });
  expect(answer.status).toBe(200);
  const back = await visit(new URL(answer.body.redirectTo, origin).href);
  expect(`${back.origin}${back.pathname}`).toBe(ZAPIER_REDIRECT);
  expect(back.searchParams.get('state')).toBe(state);
  return { code: back.searchParams.get('code')!, code_verifier: verifier, redirect_uri: ZAPIER_REDIRECT };
}

async function tokenHost() {
  const test = await hookHost({ requireAuth: true });
  addCodebases(test, 'app', 'other');
  const token = (scopes: ('admin' | 'a2a' | 'hooks' | 'read')[]) => {
    const t = test.host.tokens.create({ name: `zapier-${scopes.join('-')}`, scopes });
    if (!t.ok) throw new Error(t.reason);
    return t.token;
  };
  return { ...test, token };
}

describe('Zapier app', () => {
  it('connects with a token that has the hooks scope, and says why one without it or a wrong one fails', async () => {
    const { origin, token } = await tokenHost();
    const authData = { access_token: token(['a2a', 'hooks']), baseUrl: origin };
    expect(await appTester(App.authentication.test, { authData })).toEqual({ baseUrl: origin, hooks: 0 });
    await expect(appTester(App.authentication.test, { authData: { ...authData, access_token: token(['a2a']) } })).rejects.toThrow(/needs the .{0,2}"hooks.{0,2}" scope; the token has: a2a/);
    await expect(appTester(App.authentication.test, { authData: { ...authData, access_token: 'ct_wrong' } })).rejects.toMatchObject({ name: 'RefreshAuthError' });
    await expect(appTester(App.authentication.test, { authData: { access_token: 'x', baseUrl: 'not a url' } })).rejects.toThrow('is not a URL');
  });

  it('connects by OAuth2 against the host\'s authorization server: code with PKCE, the token on the API, refresh with rotation', async (ctx) => {
    const { origin, token } = await tokenHost();
    const user = token(['admin']);
    const discovery = await fetch(`${origin}/oauth/.well-known/openid-configuration`, { headers: { authorization: `Bearer ${user}` } });
    await discovery.arrayBuffer();
    // The authorization server comes with the identity work; a host without it has nothing to connect to by OAuth.
    if (discovery.status === 404) return ctx.skip();
    const registered = await fetch(`${origin}/oauth/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Zapier', redirect_uris: [ZAPIER_REDIRECT], token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] }),
    });
    expect(registered.status).toBe(201);
    const client = (await registered.json()) as { client_id: string; client_secret: string };
    const form = { baseUrl: `${origin}/`, clientId: client.client_id, clientSecret: client.client_secret };
    const oauth = App.authentication.oauth2Config;

    const authorizeUrl = await appTester<string>(oauth.authorizeUrl, { inputData: form });
    expect(authorizeUrl).toContain(`client_id=${client.client_id}`);
    const returned = await authorizeAsZapier(authorizeUrl, origin, user);
    const authData = await appTester<Record<string, string>>(oauth.getAccessToken, { inputData: { ...form, ...returned } });
    expect(authData).toMatchObject({ baseUrl: origin, clientId: client.client_id });
    expect(authData.access_token).toBeTruthy();
    expect(await appTester(App.authentication.test, { authData })).toEqual({ baseUrl: origin, hooks: 0 });
    const renewed = await appTester<Record<string, string>>(oauth.refreshAccessToken, { authData });
    expect(renewed.access_token).not.toBe(authData.access_token);
    expect(renewed.refresh_token).not.toBe(authData.refresh_token);
    const created = await appTester<Item>(App.creates.create_task!.operation.perform, { authData: { ...authData, ...renewed }, inputData: { text: 'by oauth', agent: 'echo' } });
    expect(created.input).toBe('by oauth');
    // The used refresh token is spent: presenting it again asks the user to reconnect.
    await expect(appTester(oauth.refreshAccessToken, { authData })).rejects.toMatchObject({ name: 'RefreshAuthError' });
    // And a code is good once.
    await expect(appTester(oauth.getAccessToken, { inputData: { ...form, ...returned } })).rejects.toThrow('did not issue a token: invalid_grant');
  });

  it('subscribes a REST hook, takes only signed deliveries, polls the same items, and unsubscribes', async () => {
    const { origin, token } = await tokenHost();
    const receiver = await startReceiver();
    const authData = { access_token: token(['a2a', 'hooks']), baseUrl: origin };
    const trigger = App.triggers.new_task!.operation;

    const subscription = await appTester<HookSubscription>(trigger.performSubscribe, { authData, targetUrl: receiver.url, inputData: { codebase: 'app', agent: '' } });
    expect(subscription).toMatchObject({ event: 'task.created', targetUrl: receiver.url, filter: { codebase: 'app' }, createdBy: 'zapier-a2a-hooks' });

    const created = await appTester<Item>(App.creates.create_task!.operation.perform, { authData, inputData: { text: 'hello zap', agent: 'echo', codebase: 'app' } });
    await appTester(App.creates.create_task!.operation.perform, { authData, inputData: { text: 'not for this zap', codebase: 'other' } });
    expect(created).toMatchObject({ codebase: 'app', input: 'hello zap' });
    await receiver.until(() => receiver.requests.length === 1);
    const delivered = receiver.requests[0]!;
    const body = JSON.parse(delivered.body) as TaskHookBody;
    expect(body).toMatchObject({ event: 'task.created', taskId: created.id, codebase: 'app', input: 'hello zap' });

    // The Zap's run of a delivery: the host's signature checked with its published key.
    const perform = trigger.perform;
    expect(await appTester(perform, { authData, rawRequest: rawRequestOf(delivered), cleanedRequest: body })).toEqual([body]);
    const forged = delivered.body.replace('hello zap', 'forged zap');
    await expect(appTester(perform, { authData, rawRequest: rawRequestOf(delivered, forged), cleanedRequest: JSON.parse(forged) })).rejects.toThrow('signature does not match');
    await expect(appTester(perform, { authData, rawRequest: { headers: {}, content: delivered.body }, cleanedRequest: body })).rejects.toThrow('no X-CodeTether-Signature');

    // The polling fallback (the Zap editor's sample, and Zaps while hooks cannot reach Zapier): same id, same body.
    const polled = await appTester<TaskHookBody[]>(trigger.performList, { authData, inputData: { codebase: 'app' } });
    expect(polled).toEqual([body]);

    await appTester(trigger.performUnsubscribe, { authData, subscribeData: subscription });
    expect((await api<{ hooks: unknown[] }>(origin, '/v1/hooks', { headers: { authorization: `Bearer ${authData.access_token}` } })).body.hooks).toEqual([]);
    // Unsubscribing what is already gone (a 410 removed it, say) is not an error.
    expect(await appTester(trigger.performUnsubscribe, { authData, subscribeData: subscription })).toEqual({ id: subscription.id });
  });

  it('runs the task actions and searches: create, answer a question, cancel, find, list agents and codebases', async () => {
    const { origin, token } = await tokenHost();
    const authData = { access_token: token(['a2a', 'hooks']), baseUrl: origin };
    const run = (op: Operation, inputData: Record<string, unknown> = {}) => appTester<Item & Item[]>(op.perform, { authData, inputData });

    const asked = await run(App.creates.create_task!.operation, { text: 'greet me', agent: 'ask' });
    const input = App.triggers.task_input_required!.operation;
    await waitFor(async () => (await appTester<TaskHookBody[]>(input.performList, { authData, inputData: { agent: 'ask' } })).length, (n) => n === 1, 10_000, 'the question');
    const [question] = await appTester<TaskHookBody[]>(input.performList, { authData, inputData: { agent: 'ask' } });
    expect(question).toMatchObject({ taskId: asked.id, state: 'input-required', message: 'What is your name?' });

    const answered = await run(App.creates.send_message!.operation, { taskId: asked.id, text: 'Zed' });
    expect(answered.id).toBe(asked.id);
    const completed = App.triggers.task_completed!.operation;
    await waitFor(async () => (await appTester<TaskHookBody[]>(completed.performList, { authData, inputData: {} })).length, (n) => n === 1, 10_000, 'the completion');
    const [done] = await run(App.searches.find_task!.operation, { taskId: asked.id });
    expect(done).toMatchObject({ id: asked.id, state: 'completed', agent: 'ask', input: 'greet me' });
    expect(String(done!.message) + String(done!.output)).toContain('Zed');

    const waiting = await run(App.creates.create_task!.operation, { text: 'never answered', agent: 'ask' });
    await waitFor(async () => (await run(App.searches.find_task!.operation, { taskId: waiting.id }))[0]!.state, (s) => s === 'input-required', 10_000, 'the second question');
    expect(await run(App.creates.cancel_task!.operation, { taskId: waiting.id })).toMatchObject({ id: waiting.id, state: 'canceled' });
    await expect(run(App.creates.cancel_task!.operation, { taskId: waiting.id })).rejects.toThrow(/cancel/i);

    await run(App.creates.create_task!.operation, { text: 'boom', agent: 'fail' });
    const failed = App.triggers.task_failed!.operation;
    await waitFor(async () => (await appTester<TaskHookBody[]>(failed.performList, { authData, inputData: {} })).length, (n) => n === 1, 10_000, 'the failure');
    const [failure] = await appTester<TaskHookBody[]>(failed.performList, { authData, inputData: {} });
    expect(failure!.message).toContain('told to fail: boom');

    expect(await run(App.searches.find_task!.operation, { taskId: 'no-such-task' })).toEqual([]);
    await expect(run(App.creates.create_task!.operation, { text: 'x', agent: 'nobody' })).rejects.toThrow('nobody');

    const agents = await run(App.searches.list_agents!.operation);
    expect(agents.map((a) => a.id)).toEqual(expect.arrayContaining(['echo', 'ask', 'fail']));
    expect((await run(App.searches.list_agents!.operation, { name: 'AS' })).map((a) => a.id)).toEqual(['ask']);
    expect((await run(App.searches.list_codebases!.operation)).map((c) => c.id).sort()).toEqual(['app', 'other']);
    expect(await run(App.searches.list_codebases!.operation, { name: 'oth' })).toMatchObject([{ id: 'other', name: 'other', onThisDevice: true }]);
    expect((await run(App.triggers.codebase_list!.operation)).map((c) => c.id).sort()).toEqual(['app', 'other']);
  }, 60_000);

  it('starts and cancels a Ralph run, and Ralph Run Finished gets the signed delivery', async () => {
    const { base, host } = await ralphHost({ 'US-1': [{ sleepMs: 60_000 }] }, { config: { requireAuth: true, pushAllowlist: ['127.0.0.1'], pushBaseDelayMs: 20 } });
    const t = host.tokens.create({ name: 'zapier', scopes: ['a2a', 'hooks'] });
    if (!t.ok) throw new Error(t.reason);
    const authData = { access_token: t.token, baseUrl: base };
    const receiver = await startReceiver();
    const trigger = App.triggers.ralph_run_finished!.operation;
    await appTester(trigger.performSubscribe, { authData, targetUrl: receiver.url, inputData: { codebase: 'app' } });

    const started = await appTester<Item>(App.creates.start_ralph!.operation.perform, { authData, inputData: { codebase: 'app', prd: JSON.stringify(prd([{ id: 'US-1' }])) } });
    expect(started).toMatchObject({ codebase: 'app', project: 'Demo', branchName: 'ralph/demo', storiesTotal: 1 });
    await expect(appTester(App.creates.start_ralph!.operation.perform, { authData, inputData: { codebase: 'app', prd: '{"project":' } })).rejects.toThrow(/prd/i);

    const canceled = await appTester<Item>(App.creates.cancel_ralph_run!.operation.perform, { authData, inputData: { runId: started.id } });
    expect(canceled).toMatchObject({ id: started.id, status: 'canceled' });

    await receiver.until(() => receiver.requests.length === 1, 10_000);
    const body = JSON.parse(receiver.requests[0]!.body) as RalphHookBody;
    expect(body).toMatchObject({ event: 'ralph.run.finished', runId: started.id, status: 'canceled', codebase: 'app' });
    expect(await appTester(trigger.perform, { authData, rawRequest: rawRequestOf(receiver.requests[0]!), cleanedRequest: body })).toEqual([body]);
    expect(await appTester(trigger.performList, { authData, inputData: { codebase: 'app' } })).toEqual([body]);
    expect(await appTester(trigger.performList, { authData, inputData: { codebase: 'other' } })).toEqual([]);
  }, 60_000);
});
