import { readFileSync } from 'node:fs';
import { parseDuration } from '../../auth/duration';
import { defaultScopes, parseScopeList, scopeDescriptions, scopeNames, type Scope } from '../../auth/scopes';
import type { TokenRecord } from '../../auth/token-record';
import { hashToken, isWellFormedToken } from '../../auth/token-secret';
import { createTokenStore, type TokenStore } from '../../auth/token-store';
import { storeFlags, storeFlagsUsage, withHostDatabase } from '../host-database';
import { runSubcommand, type Subcommand } from '../subcommands';
import type { CliIo, Command } from '../command';
import { auditFromCli } from '../cli-audit';
import { parseFlags } from '../flags';
import { table } from '../table';
import { UsageError } from '../usage-error';

/** Runs `use` with the token store of the host's database. */
async function withTokens<T>(values: { 'data-dir'?: string; config?: string }, use: (tokens: TokenStore) => T): Promise<T> {
  return withHostDatabase(values, (db) => use(createTokenStore(db)));
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function shortTime(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}

function asJson(t: TokenRecord) {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes,
    createdAt: iso(t.createdAt),
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
    expiresAt: iso(t.expiresAt),
  };
}

function nameFlag(value: string | undefined): string {
  const name = value?.trim();
  if (!name) throw new UsageError('--name is required.');
  if (name.length > 64 || /\p{Cc}/u.test(name)) throw new UsageError('--name must be 1-64 printable characters.');
  return name;
}

function scopesFlag(value: string | undefined): readonly Scope[] {
  if (value === undefined) return defaultScopes;
  const parsed = parseScopeList(value);
  if (!parsed.ok) {
    throw new UsageError(`unknown scope ${parsed.unknown.map((s) => `"${s}"`).join(', ')}. Valid scopes: ${scopeNames.join(', ')}.`);
  }
  return parsed.scopes;
}

async function create(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, {
    ...storeFlags,
    name: { type: 'string' },
    scopes: { type: 'string' },
    'expires-in': { type: 'string' },
  });
  const name = nameFlag(values.name);
  const scopes = scopesFlag(values.scopes);
  let expiresInMs: number | undefined;
  if (values['expires-in'] !== undefined) {
    expiresInMs = parseDuration(values['expires-in']);
    if (expiresInMs === undefined) throw new UsageError('--expires-in takes a number and a unit s, m, h, d or w, such as 30d.');
  }

  const now = Date.now();
  const result = withHostDatabase(values, (db, config) => {
    const created = createTokenStore(db).create({ name, scopes, expiresAt: expiresInMs === undefined ? undefined : now + expiresInMs }, now);
    if (created.ok) auditFromCli(db, config, { action: 'token.created', subject: created.record.id, detail: { name, scopes: created.record.scopes, expiresAt: created.record.expiresAt } });
    return created;
  });
  if (!result.ok) {
    io.err(`codetether token: a token named "${name}" already exists (id ${result.existing.id}). Revoke it or choose another name.`);
    return 1;
  }
  const r = result.record;
  io.out(result.token);
  io.err(
    `Created token ${r.id} "${r.name}" with scopes ${r.scopes.join(', ')}${r.expiresAt === null ? '' : `, expiring ${iso(r.expiresAt)}`}.\n` +
      'Copy it now: it is stored only as a hash and will not be shown again.',
  );
  return 0;
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, { ...storeFlags, json: { type: 'boolean' } });
  const records = await withTokens(values, (tokens) => tokens.list());
  if (values.json) {
    io.out(JSON.stringify(records.map(asJson), null, 2));
    return 0;
  }
  if (records.length === 0) {
    io.err('No tokens. Create one with "codetether token create --name <name>".');
    return 0;
  }
  const now = Date.now();
  io.out(
    table([
      ['ID', 'NAME', 'SCOPES', 'CREATED', 'LAST USED', 'EXPIRES', 'REVOKED'],
      ...records.map((t) => [
        t.id,
        t.name,
        t.scopes.join(','),
        shortTime(t.createdAt),
        shortTime(t.lastUsedAt),
        t.expiresAt === null ? '-' : shortTime(t.expiresAt) + (t.expiresAt <= now ? ' (expired)' : ''),
        shortTime(t.revokedAt),
      ]),
    ]),
  );
  return 0;
}

async function revoke(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, storeFlags, true);
  if (positionals.length !== 1) throw new UsageError('revoke takes exactly one token id or name.');
  const target = positionals[0]!;
  const result = withHostDatabase(values, (db, config) => {
    const revoked = createTokenStore(db).revoke(target);
    if (revoked.kind === 'revoked') auditFromCli(db, config, { action: 'token.revoked', subject: revoked.record.id, detail: { name: revoked.record.name } });
    return revoked;
  });
  switch (result.kind) {
    case 'not_found':
      io.err(`codetether token: no token with id or name "${target}". "codetether token list" shows them.`);
      return 1;
    case 'already_revoked':
      io.err(`Token ${result.record.id} "${result.record.name}" was already revoked at ${iso(result.record.revokedAt)}.`);
      return 0;
    case 'revoked':
      io.err(`Revoked token ${result.record.id} "${result.record.name}". Requests with it are refused from now on.`);
      return 0;
  }
}

/** The secret of `token import`, from exactly one of --from-env and --from-file. */
function importedSecret(values: { 'from-env'?: string; 'from-file'?: string }): string {
  const fromEnv = values['from-env'];
  const fromFile = values['from-file'];
  if ((fromEnv === undefined) === (fromFile === undefined)) throw new UsageError('give the token with exactly one of --from-env VAR or --from-file PATH.');
  let secret: string;
  let source: string;
  if (fromEnv !== undefined) {
    secret = process.env[fromEnv]?.trim() ?? '';
    source = `environment variable ${fromEnv}`;
    if (secret === '') throw new UsageError(`${source} is unset or empty.`);
  } else {
    source = `file ${fromFile}`;
    try {
      secret = readFileSync(fromFile!, 'utf8').trim();
    } catch (err) {
      throw new UsageError(`cannot read ${source}: ${(err as Error).message}`);
    }
  }
  if (!isWellFormedToken(secret)) {
    throw new UsageError(
      `${source} does not hold a token: one is "ct_" and 43 base64url characters (32 random bytes), as "codetether token create" prints ` +
        `or this makes: node -e "console.log('ct_'+require('crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
  return secret;
}

/**
 * Brings a token made elsewhere (a deployment's secret) into the store, so a container can
 * start with a token its clients already hold. Run at every start: the same secret again
 * changes nothing, a new secret under the same name replaces (revokes) the old one.
 */
async function importToken(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, {
    ...storeFlags,
    name: { type: 'string' },
    scopes: { type: 'string' },
    'from-env': { type: 'string' },
    'from-file': { type: 'string' },
  });
  const name = nameFlag(values.name);
  const scopes = scopesFlag(values.scopes);
  const secret = importedSecret(values);
  return withTokens(values, (tokens) => {
    const known = tokens.findByHash(hashToken(secret));
    if (known) {
      if (known.revokedAt !== null) {
        io.err(`codetether token: this token was revoked (id ${known.id} "${known.name}") and cannot be brought back. Make a new secret.`);
        return 1;
      }
      if (known.name !== name) {
        io.err(`codetether token: this token is already in the store under the name "${known.name}" (id ${known.id}).`);
        return 1;
      }
      if ([...known.scopes].sort().join(',') !== [...scopes].sort().join(',')) {
        io.err(`codetether token: "${name}" already holds this token with scopes ${known.scopes.join(', ')}. To change scopes, import a new secret under this name.`);
        return 1;
      }
      io.err(`Token "${name}" (id ${known.id}) is already in place.`);
      return 0;
    }
    const replaced = tokens.list().find((t) => t.name === name && t.revokedAt === null);
    if (replaced) tokens.revoke(replaced.id);
    const result = tokens.create({ name, scopes, secret });
    if (!result.ok) {
      io.err(`codetether token: a token named "${name}" appeared meanwhile (id ${result.existing.id}); run the import again.`);
      return 1;
    }
    io.err(
      `Imported token ${result.record.id} "${name}" with scopes ${result.record.scopes.join(', ')}` +
        (replaced ? `; it replaces token ${replaced.id}, now revoked.` : '.'),
    );
    return 0;
  });
}

const subcommands: Record<string, Subcommand> = { create, import: importToken, list, revoke };

export const tokenCommand: Command = {
  name: 'token',
  summary: 'Create, list and revoke the bearer tokens clients use to reach the host',
  usage: `codetether token <create|import|list|revoke> [options]

  codetether token create --name <name> [--scopes <list>] [--expires-in <duration>]
      Prints the new token alone on stdout, once; it is stored only as a hash.
      --scopes      comma-separated (default ${defaultScopes.join(',')})
      --expires-in  such as 90m, 12h, 30d, 2w (default: never)
  codetether token import --name <name> [--scopes <list>] (--from-env <VAR> | --from-file <path>)
      Stores a token made elsewhere (a deployment's secret). Idempotent: the same secret again
      changes nothing; a new secret under the name revokes the old token.
  codetether token list [--json]
  codetether token revoke <id|name>
      Takes effect at once, also for a running host.

Scopes:
${scopeNames.map((s) => `  ${s.padEnd(7)} ${scopeDescriptions[s]}`).join('\n')}

${storeFlagsUsage}`,
  run: (argv, io) => runSubcommand(subcommands, argv, io),
};
