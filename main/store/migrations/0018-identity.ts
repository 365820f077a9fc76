import type { Migration } from '../migration';

/**
 * Identity. The audit log (0008) grows the columns every entry now carries: the request's source
 * address, the outcome, and its size in bytes (what the size-based retention counts); triggers
 * refuse any UPDATE, so no code path can rewrite an entry. `oauth_models`: everything the OAuth2
 * authorization server (oidc-provider) persists through its adapter — clients, grants, codes,
 * access and refresh tokens, interactions, sessions — one row per model and id, with the
 * payload as JSON and the look-ups the adapter needs (grant, user code, uid) as columns.
 * `oauth_keys`: the server's signing keys (JWKS), made once, so tokens and ID tokens stay
 * verifiable across restarts.
 */
export const m0018: Migration = {
  version: 18,
  name: 'identity',
  sql: `
    ALTER TABLE audit_log ADD COLUMN source TEXT NOT NULL DEFAULT '';
    ALTER TABLE audit_log ADD COLUMN outcome TEXT NOT NULL DEFAULT 'ok';
    ALTER TABLE audit_log ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
    UPDATE audit_log SET bytes = length(actor) + length(action) + length(subject) + length(detail) + 32;
    CREATE INDEX audit_by_at ON audit_log(at);
    CREATE INDEX audit_by_actor ON audit_log(actor, seq);
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

    CREATE TABLE oauth_models (
      model TEXT NOT NULL,
      id TEXT NOT NULL,
      payload TEXT NOT NULL CHECK (json_valid(payload)),
      grant_id TEXT,
      user_code TEXT,
      uid TEXT,
      expires_at INTEGER,
      consumed_at INTEGER,
      PRIMARY KEY (model, id)
    ) STRICT;
    CREATE INDEX oauth_models_by_grant ON oauth_models(grant_id) WHERE grant_id IS NOT NULL;
    CREATE INDEX oauth_models_by_uid ON oauth_models(model, uid) WHERE uid IS NOT NULL;
    CREATE INDEX oauth_models_by_user_code ON oauth_models(model, user_code) WHERE user_code IS NOT NULL;
    CREATE INDEX oauth_models_expiry ON oauth_models(expires_at) WHERE expires_at IS NOT NULL;

    CREATE TABLE oauth_keys (
      kid TEXT PRIMARY KEY,
      jwk TEXT NOT NULL CHECK (json_valid(jwk)),
      created_at INTEGER NOT NULL
    ) STRICT;
  `,
};
