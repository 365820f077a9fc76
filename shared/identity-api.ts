/** Contracts of the identity routes (sign-in, OAuth consent and apps, audit log), shared by the host and the monitor. */

/** `GET /auth/oidc`: whether the monitor offers "Sign in", and with whom. */
export interface SignInInfo {
  enabled: boolean;
  issuer?: string;
}

/** `POST /auth/oidc/session`: the one-time code the sign-in redirect carried. */
export interface SignInHandoff {
  handoff: string;
}

export interface SignInRefresh {
  refreshToken: string;
}

/** `POST /auth/oidc/session` and `/auth/oidc/refresh`: the provider's tokens for this browser. */
export interface SignInSession {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms. */
  expiresAt: number | null;
  name: string;
  scopes: string[];
}

/** `GET /api/oauth/consent/{uid}`: what an app asks for, as the consent screen shows it. */
export interface ConsentRequest {
  uid: string;
  client: { id: string; name: string; uri: string | null };
  redirectUri: string;
  /** What the app asks for, per resource (this host's API, or its MCP endpoint). */
  resources: { resource: string; label: string; scopes: string[] }[];
  /** Scopes of the request the person confirming does not hold: they cannot be granted. */
  notHeld: string[];
  /** Who approves (the account the grant will belong to). */
  account: string;
  /** ISO time the request expires. */
  expiresAt: string;
}

export interface ConsentAnswer {
  approve: boolean;
}

/** Where the browser goes next: back to the authorization server, which redirects to the app. */
export interface ConsentResult {
  redirectTo: string;
}

export interface OAuthClientInfo {
  id: string;
  name: string;
  redirectUris: string[];
  /** Holds a secret (a server-side app such as Zapier); public clients (MCP clients, native apps) prove themselves with PKCE alone. */
  confidential: boolean;
  /** ISO. */
  createdAt: string | null;
}

export interface OAuthGrantInfo {
  id: string;
  clientId: string;
  clientName: string;
  account: string;
  resources: { resource: string; scopes: string[] }[];
  /** ISO. */
  expiresAt: string | null;
}

export const auditOutcomeNames = ['ok', 'refused', 'failed'] as const;

/** One entry as `GET /api/audit` and `codetether audit --json` give it. */
export interface AuditEntryView {
  seq: number;
  /** ISO. */
  at: string;
  actor: string;
  action: string;
  subject: string;
  source: string;
  outcome: (typeof auditOutcomeNames)[number];
  detail: Record<string, unknown>;
}

/** `GET /api/audit?since=&until=&actor=&action=&outcome=&before=&limit=`: newest first; `nextBefore` pages on. */
export interface AuditPage {
  entries: AuditEntryView[];
  nextBefore: number | null;
}
