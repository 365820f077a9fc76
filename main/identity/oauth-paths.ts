/**
 * Where the authorization server's endpoints live on the host: the issuer is `<base>/oauth`.
 * Apart from oauth-server.ts so the CLI can name the endpoints without loading oidc-provider.
 */
export const OAUTH_PREFIX = '/oauth';
