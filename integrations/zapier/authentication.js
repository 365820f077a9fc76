'use strict';

const { baseUrlOf, call, normalizeBaseUrl } = require('./lib/host');

/** What the app asks for: tasks (a2a, which includes reading them) and REST hooks. */
const SCOPES = 'a2a hooks';

/**
 * The authorization server's endpoints, from its discovery document: the host serves it for
 * its issuer `<host>/oauth`; some proxies expose it at the root as well.
 */
async function discover(z, base) {
  for (const path of ['/oauth/.well-known/openid-configuration', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server/oauth']) {
    const response = await z.request({ url: `${base}${path}`, skipThrowForStatus: true });
    if (response.status === 200 && response.data && response.data.authorization_endpoint && response.data.token_endpoint) return response.data;
  }
  throw new z.errors.Error(`${base} serves no OAuth discovery document: is it a CodeTether host reachable from Zapier (a public https URL)?`, 'NO_AUTHORIZATION_SERVER', 404);
}

/** The OAuth client this connection uses: the connect form's, else the app's (`zapier env:set CLIENT_ID=... CLIENT_SECRET=...`). */
function clientOf(bundle) {
  const data = { ...bundle.authData, ...bundle.inputData };
  const id = data.clientId || process.env.CLIENT_ID;
  const secret = data.clientSecret || process.env.CLIENT_SECRET;
  if (!id || !secret) throw new Error('No OAuth client: register Zapier on your host with "codetether oauth client add" and give its client ID and secret.');
  return { id, secret };
}

/** Calls the token endpoint as a confidential client (HTTP Basic, RFC 6749 2.3.1). */
async function tokenRequest(z, bundle, form) {
  const base = baseUrlOf(bundle);
  const { token_endpoint: url } = await discover(z, base);
  const client = clientOf(bundle);
  const basic = Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64');
  const response = await z.request({
    method: 'POST',
    url,
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
    skipThrowForStatus: true,
  });
  const data = response.data || {};
  if (response.status !== 200 || !data.access_token) {
    const reason = data.error ? `${data.error}${data.error_description ? `: ${data.error_description}` : ''}` : `HTTP ${response.status}`;
    if (form.grant_type === 'refresh_token') throw new z.errors.RefreshAuthError(`The host would not renew the connection (${reason}); reconnect it.`);
    throw new z.errors.Error(`The host did not issue a token: ${reason}`, 'TOKEN_REFUSED', response.status);
  }
  return data;
}

const authentication = {
  type: 'oauth2',
  fields: [
    {
      key: 'baseUrl',
      label: 'CodeTether URL',
      required: false,
      helpText: 'Your host\'s public https address, such as https://codetether.example.com (the host\'s `publicUrl`). Leave empty if the app was deployed with BASE_URL set.',
    },
    {
      key: 'clientId',
      label: 'OAuth client ID',
      required: false,
      helpText: 'From `codetether oauth client add --name Zapier --redirect-uri <Zapier\'s redirect URL> --confidential` on your host. Leave empty if the app was deployed with CLIENT_ID set.',
    },
    { key: 'clientSecret', label: 'OAuth client secret', required: false, type: 'password', helpText: 'Shown once by the same command.' },
  ],
  oauth2Config: {
    // Zapier adds redirect_uri, state and (enablePkce) code_challenge to this URL.
    async authorizeUrl(z, bundle) {
      const base = normalizeBaseUrl(bundle.inputData.baseUrl || process.env.BASE_URL);
      if (!base) throw new Error('Give your CodeTether URL.');
      const { authorization_endpoint: endpoint } = await discover(z, base);
      const url = new URL(endpoint);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', clientOf(bundle).id);
      url.searchParams.set('scope', SCOPES);
      return url.href;
    },
    async getAccessToken(z, bundle) {
      const data = await tokenRequest(z, bundle, {
        grant_type: 'authorization_code',
        code: bundle.inputData.code,
        redirect_uri: bundle.inputData.redirect_uri,
        code_verifier: bundle.inputData.code_verifier,
      });
      // Kept with the tokens: every later call and refresh needs the host and the client.
      return {
        access_token: data.access_token,
        refresh_token: data.refresh_token,
        baseUrl: normalizeBaseUrl(bundle.inputData.baseUrl || process.env.BASE_URL),
        clientId: bundle.inputData.clientId || '',
        clientSecret: bundle.inputData.clientSecret || '',
      };
    },
    async refreshAccessToken(z, bundle) {
      const data = await tokenRequest(z, bundle, { grant_type: 'refresh_token', refresh_token: bundle.authData.refresh_token });
      // The host rotates refresh tokens: the new one replaces the old, which no longer works.
      return { access_token: data.access_token, refresh_token: data.refresh_token };
    },
    scope: SCOPES,
    autoRefresh: true,
    enablePkce: true,
  },
  // A call that needs both granted scopes: a token without `hooks` fails here, not at the first Zap.
  async test(z, bundle) {
    const response = await call(z, bundle, { path: '/v1/hooks' });
    return { baseUrl: baseUrlOf(bundle), hooks: response.data.hooks.length };
  },
  connectionLabel: (z, bundle) => new URL(baseUrlOf(bundle)).host,
};

module.exports = authentication;
