import { AgentCard } from '@a2a-js/sdk';
import { duplicateInterfacesForLegacy } from '@a2a-js/sdk/compat/v0_3';
import { APP_NAME, APP_VERSION } from '../../shared/version';
import type { AgentExecutor } from '../tasks/executor';

export interface AgentCardOptions {
  /** Where clients reach this host, e.g. http://127.0.0.1:8000 (no trailing slash). */
  baseUrl: string;
  agents: Iterable<AgentExecutor>;
  /** Whether routes demand a bearer token (LAN bind or requireAuth): the card then says so. */
  authRequired: boolean;
}

/** The JSON-RPC endpoint, and the HTTP+JSON binding's base: REST routes live under it. */
export const JSONRPC_PATH = '/a2a';
export const REST_BASE_PATH = '/v1';

const DESCRIPTION =
  'CodeTether turns your machines into one agent hub: it runs AI coding agents on your codebases and keeps every session durable and resumable.';
const MODES = ['text/plain', 'application/json'];
const BEARER = 'bearer';

/** The v1.0 agent card. Skills come from the agents this host runs. */
export function buildAgentCard(options: AgentCardOptions): AgentCard {
  const { baseUrl, authRequired } = options;
  const interfaces = duplicateInterfacesForLegacy(
    [
      { url: baseUrl + JSONRPC_PATH, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' },
      { url: baseUrl + REST_BASE_PATH, protocolBinding: 'HTTP+JSON', tenant: '', protocolVersion: '1.0' },
    ],
    // v0.3 clients are served on the JSON-RPC endpoint only: the SDK's v0.3 REST decoding is not exported.
    ['JSONRPC'],
  );
  return AgentCard.fromJSON({
    name: APP_NAME,
    description: DESCRIPTION,
    supportedInterfaces: interfaces,
    provider: { organization: APP_NAME, url: baseUrl },
    version: APP_VERSION,
    // Advertised only where a token is required anyway: on an open loopback host the SDK client
    // would otherwise ask for the extended card without the token it needs.
    capabilities: { streaming: true, pushNotifications: true, extendedAgentCard: authRequired },
    securitySchemes: authRequired
      ? { [BEARER]: { httpAuthSecurityScheme: { scheme: 'Bearer', bearerFormat: 'ct_ token', description: 'A token from "codetether token create".' } } }
      : {},
    securityRequirements: authRequired ? [{ schemes: { [BEARER]: { list: [] } } }] : [],
    defaultInputModes: MODES,
    defaultOutputModes: MODES,
    skills: [...options.agents].map((a) => ({ ...a.skill, examples: a.skill.examples ?? [] })),
  });
}

/**
 * The same card in the v0.3 shape, for clients that ask for 0.3. The SDK has this translation
 * (toCompatAgentCard) but does not export it.
 */
export function toLegacyCardJson(card: AgentCard): Record<string, unknown> {
  const v1 = AgentCard.toJSON(card) as Record<string, unknown>;
  const legacy = card.supportedInterfaces.filter((i) => i.protocolVersion === '0.3');
  const primary = legacy.find((i) => i.protocolBinding === 'JSONRPC') ?? legacy[0];
  const security = card.securityRequirements.map((r) => Object.fromEntries(Object.entries(r.schemes).map(([k, v]) => [k, v.list])));
  const schemes = Object.fromEntries(
    Object.entries(card.securitySchemes).flatMap(([key, s]) =>
      s.scheme?.$case === 'httpAuthSecurityScheme'
        ? [[key, { type: 'http', scheme: s.scheme.value.scheme.toLowerCase(), bearerFormat: s.scheme.value.bearerFormat, description: s.scheme.value.description }]]
        : [],
    ),
  );
  return {
    protocolVersion: '0.3',
    name: card.name,
    description: card.description,
    url: primary?.url,
    preferredTransport: primary?.protocolBinding ?? 'JSONRPC',
    additionalInterfaces: legacy.map((i) => ({ url: i.url, transport: i.protocolBinding })),
    provider: v1.provider,
    version: card.version,
    capabilities: { streaming: card.capabilities?.streaming ?? false, pushNotifications: card.capabilities?.pushNotifications ?? false, stateTransitionHistory: false },
    ...(security.length ? { securitySchemes: schemes, security } : {}),
    defaultInputModes: card.defaultInputModes,
    defaultOutputModes: card.defaultOutputModes,
    skills: card.skills.map((s) => ({ id: s.id, name: s.name, description: s.description, tags: s.tags, ...(s.examples.length ? { examples: s.examples } : {}) })),
    supportsAuthenticatedExtendedCard: card.capabilities?.extendedAgentCard ?? false,
  };
}
