import type {
  CodebaseInfo,
  CodebaseRequest,
  CreatedToken,
  EmailSaved,
  EmailSaveRequest,
  EmailSettingsInfo,
  EmailTestRequest,
  EmailTestResult,
  FeedEvent,
  IdeSnippet,
  Overview,
  SendMessageRequestJson,
  SessionSummary,
  SettingsInfo,
  SettingsSaved,
  SettingsUpdate,
  SyncJoinRequest,
  DeviceNameRequest,
  SyncStatus,
  TaskJson,
  TaskLogEntry,
  TaskPageJson,
  TaskSummary,
  TokenInfo,
  TokenRequest,
} from './monitor-api';
import type {
  AuditPage,
  ConsentAnswer,
  ConsentRequest,
  ConsentResult,
  OAuthClientInfo,
  OAuthGrantInfo,
  SignInInfo,
  SignInRefresh,
  SignInSession,
  SignInHandoff,
} from './identity-api';
import type { RunLogLine, RunSummaryView, RunView } from './ralph-api';

/**
 * The host's HTTP API as the monitor calls it: each route, keyed "METHOD path" with `{name}` for a
 * path parameter, with its request body, its query parameters and its answer. The renderer's api
 * takes these keys (no free path strings), the host's monitor routes are added by the same keys,
 * and their body schemas are checked against `request` here: one description both sides compile
 * against, as shared/ipc-contract.ts is for IPC. The `/v1` entries are the A2A HTTP+JSON binding
 * (served by main/a2a), as the monitor reads it. A `void` body or answer is none (an answer of 204).
 */
export interface MonitorRoutes {
  'GET /api/overview': { request: void; query: { limit?: string }; response: Overview };
  'GET /api/sessions': { request: void; query: { limit?: string }; response: SessionSummary[] };
  'GET /api/sessions/{id}': { request: void; query: never; response: SessionSummary };
  'GET /api/tasks/{id}': { request: void; query: never; response: TaskSummary };
  'GET /api/codebases': { request: void; query: never; response: CodebaseInfo[] };
  'POST /api/codebases': { request: CodebaseRequest; query: never; response: CodebaseInfo };
  'DELETE /api/codebases/{name}': { request: void; query: never; response: void };
  'GET /api/tokens': { request: void; query: never; response: TokenInfo[] };
  'POST /api/tokens': { request: TokenRequest; query: never; response: CreatedToken };
  'POST /api/tokens/{id}:revoke': { request: void; query: never; response: TokenInfo };
  'GET /api/settings': { request: void; query: never; response: SettingsInfo };
  'PUT /api/settings': { request: SettingsUpdate; query: never; response: SettingsSaved };
  'GET /api/ide-config': { request: void; query: { client: string; transport?: 'stdio' | 'http' }; response: IdeSnippet };
  'GET /sync/status': { request: void; query: never; response: SyncStatus };
  'POST /api/sync/join': { request: SyncJoinRequest; query: never; response: SyncStatus };
  'PUT /api/sync/device': { request: DeviceNameRequest; query: never; response: SyncStatus };
  'POST /api/sync/leave': { request: void; query: never; response: SyncStatus };
  'GET /api/email': { request: void; query: never; response: EmailSettingsInfo };
  'PUT /api/email': { request: EmailSaveRequest; query: never; response: EmailSaved };
  'POST /api/email/test': { request: EmailTestRequest; query: never; response: EmailTestResult };
  'POST /v1/message:send': { request: SendMessageRequestJson; query: never; response: { task?: TaskJson } };
  'POST /v1/tasks/{id}:cancel': { request: void; query: never; response: TaskJson };
  'GET /v1/tasks/{id}': { request: void; query: never; response: TaskJson };
  'GET /v1/tasks': {
    request: void;
    query: { contextId?: string; pageSize?: string; pageToken?: string; includeArtifacts?: 'true' | 'false' };
    response: TaskPageJson;
  };
  'GET /v1/ralph/runs': { request: void; query: { limit?: string; status?: string }; response: { runs: RunSummaryView[] } };
  'POST /v1/ralph/runs/{id}/cancel': { request: void; query: never; response: RunView };
  /** A unified diff as text/plain: the answer is its text. */
  'GET /v1/ralph/runs/{id}/stories/{story}/diff': { request: void; query: never; response: string };
  'GET /api/audit': {
    request: void;
    query: { since?: string; until?: string; actor?: string; action?: string; outcome?: string; subject?: string; before?: string; limit?: string };
    response: AuditPage;
  };
  'GET /api/oauth/consent/{uid}': { request: void; query: never; response: ConsentRequest };
  'POST /api/oauth/consent/{uid}': { request: ConsentAnswer; query: never; response: ConsentResult };
  'GET /api/oauth/clients': { request: void; query: never; response: OAuthClientInfo[] };
  'GET /api/oauth/grants': { request: void; query: never; response: OAuthGrantInfo[] };
  'POST /api/oauth/grants/{id}:revoke': { request: void; query: never; response: { revoked: string } };
  /** Public: whether "Sign in" is offered. `GET /auth/oidc/login` starts it (a page navigation, not a call). */
  'GET /auth/oidc': { request: void; query: never; response: SignInInfo };
  'POST /auth/oidc/session': { request: SignInHandoff; query: never; response: SignInSession };
  'POST /auth/oidc/refresh': { request: SignInRefresh; query: never; response: SignInSession };
}

/**
 * The host's server-sent event streams the monitor follows: each path with its query parameters
 * and what the data of a (default `message`) event holds.
 */
export interface MonitorStreams {
  /** Events `snapshot`, `task`, `workers`; no ids, a reconnect starts with a new snapshot. */
  '/api/events': { query: never; data: FeedEvent };
  '/api/tasks/{id}/events': { query: { after?: string }; data: TaskLogEntry };
  /** Raw terminal text; `gap` and `end` events carry no data of their own. */
  '/api/tasks/{id}/output': { query: { from?: string }; data: string };
  /** Events `run` (the whole run after each change) and `log` (a line; its id is the line's seq). */
  '/v1/ralph/runs/{id}/stream': { query: { after?: string }; data: RunView | RunLogLine };
}

/** The query parameter a reconnect of each stream continues from (after the last event id it received); null: the stream has no ids. */
export const monitorStreamResume = {
  '/api/events': null,
  '/api/tasks/{id}/events': 'after',
  '/api/tasks/{id}/output': 'from',
  '/v1/ralph/runs/{id}/stream': 'after',
} as const satisfies { [P in MonitorStreamPath]: keyof MonitorStreams[P]['query'] | null };

export type MonitorRouteKey = keyof MonitorRoutes;
export type MonitorStreamPath = keyof MonitorStreams;
export type RouteRequest<K extends MonitorRouteKey> = MonitorRoutes[K]['request'];
export type RouteResponse<K extends MonitorRouteKey> = MonitorRoutes[K]['response'];

type PathOf<K extends string> = K extends `${string} ${infer P}` ? P : K;

/** `{ name: string }` for each `{name}` in a path; `{}` for a path without any. */
export type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? { [N in Name]: string } & PathParams<Rest> : unknown;

type HasParams<P extends string> = P extends `${string}{${string}}${string}` ? true : false;

/** What a call of route `K` passes besides its key: `params` when its path has any, `body` when it takes one, `query` when it has any. */
export type RouteInput<K extends MonitorRouteKey> = (HasParams<PathOf<K>> extends true ? { params: PathParams<PathOf<K>> } : { params?: never }) &
  (RouteRequest<K> extends void ? { body?: never } : { body: RouteRequest<K> }) &
  ([MonitorRoutes[K]['query']] extends [never] ? { query?: never } : { query?: MonitorRoutes[K]['query'] });

/** Input a route can be called without: no params and no body. */
export type RouteArgs<K extends MonitorRouteKey> = Partial<RouteInput<K>> extends RouteInput<K> ? [input?: RouteInput<K>] : [input: RouteInput<K>];

export type StreamInput<P extends MonitorStreamPath> = (HasParams<P> extends true ? { params: PathParams<P> } : { params?: never }) &
  ([MonitorStreams[P]['query']] extends [never] ? { query?: never } : { query?: MonitorStreams[P]['query'] });

export type StreamArgs<P extends MonitorStreamPath> = Partial<StreamInput<P>> extends StreamInput<P> ? [input?: StreamInput<P>] : [input: StreamInput<P>];

/** Every route key, at run time: a key added to MonitorRoutes without one here does not compile. */
export const monitorRouteKeys = Object.keys({
  'GET /api/overview': 1,
  'GET /api/sessions': 1,
  'GET /api/sessions/{id}': 1,
  'GET /api/tasks/{id}': 1,
  'GET /api/codebases': 1,
  'POST /api/codebases': 1,
  'DELETE /api/codebases/{name}': 1,
  'GET /api/tokens': 1,
  'POST /api/tokens': 1,
  'POST /api/tokens/{id}:revoke': 1,
  'GET /api/settings': 1,
  'PUT /api/settings': 1,
  'GET /api/ide-config': 1,
  'GET /sync/status': 1,
  'POST /api/sync/join': 1,
  'PUT /api/sync/device': 1,
  'POST /api/sync/leave': 1,
  'POST /v1/message:send': 1,
  'POST /v1/tasks/{id}:cancel': 1,
  'GET /v1/tasks/{id}': 1,
  'GET /v1/tasks': 1,
  'GET /api/email': 1,
  'PUT /api/email': 1,
  'POST /api/email/test': 1,
  'GET /v1/ralph/runs': 1,
  'POST /v1/ralph/runs/{id}/cancel': 1,
  'GET /v1/ralph/runs/{id}/stories/{story}/diff': 1,
  'GET /api/audit': 1,
  'GET /api/oauth/consent/{uid}': 1,
  'POST /api/oauth/consent/{uid}': 1,
  'GET /api/oauth/clients': 1,
  'GET /api/oauth/grants': 1,
  'POST /api/oauth/grants/{id}:revoke': 1,
  'GET /auth/oidc': 1,
  'POST /auth/oidc/session': 1,
  'POST /auth/oidc/refresh': 1,
} satisfies Record<MonitorRouteKey, 1>) as MonitorRouteKey[];

/** A route key's method and path pattern. */
export function splitRouteKey(key: MonitorRouteKey): { method: string; path: string } {
  const space = key.indexOf(' ');
  return { method: key.slice(0, space), path: key.slice(space + 1) };
}

/** A path pattern with its `{name}`s filled in (percent-encoded) and the query appended. */
export function fillPath(pattern: string, params: Record<string, string> = {}, query: Record<string, string | undefined> = {}): string {
  const path = pattern.replace(/\{([a-zA-Z_]+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${pattern} needs the parameter "${name}".`);
    return encodeURIComponent(value);
  });
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return q ? `${path}?${q}` : path;
}
