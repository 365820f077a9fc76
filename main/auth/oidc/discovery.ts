import * as client from 'openid-client';
import type { OidcConfig } from '../../base/config-schema';
import { isLoopbackHostHeader } from '../loopback';

/** Discovery is retried at most this often while the provider does not answer. */
const retryMs = 5000;

export interface OidcDiscovery {
  readonly config: OidcConfig;
  /** The provider's metadata and this host's client there; discovered on first use, then kept. */
  get(): Promise<client.Configuration>;
}

/**
 * An `http:` issuer is accepted only on this machine (a test or a local IdP); anywhere else the
 * provider's keys and tokens would travel unprotected, so it is refused at start.
 */
export function issuerProblem(issuer: string): string | undefined {
  const url = new URL(issuer);
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHostHeader(url.host)) return undefined;
  return `oidc.issuer must be an https URL (got ${issuer}); plain http is accepted only for a provider on this machine.`;
}

/**
 * The provider, found through its discovery document (openid-client checks that the document
 * names the configured issuer). Lazy: a host starts while its IdP is down, and API calls with
 * provider tokens answer 503 until it is back.
 */
export function createOidcDiscovery(config: OidcConfig): OidcDiscovery {
  let found: Promise<client.Configuration> | undefined;
  let failedAt = 0;
  const auth = config.clientSecret ? client.ClientSecretBasic(config.clientSecret) : client.None();
  const insecure = new URL(config.issuer).protocol === 'http:';

  return {
    config,
    get() {
      if (!found || (failedAt !== 0 && Date.now() - failedAt >= retryMs)) {
        failedAt = 0;
        found = client
          .discovery(new URL(config.issuer), config.clientId, config.clientSecret, auth, insecure ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 })
          .catch((err: unknown) => {
            failedAt = Date.now();
            throw new Error(`discovery at ${config.issuer} failed: ${(err as Error).message}`, { cause: err });
          });
      }
      return found;
    },
  };
}
