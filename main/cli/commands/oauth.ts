import { readRuntime } from '../../base/runtime-file';
import type { Config } from '../../base/config-schema';
import { addClient, listClients } from '../../identity/clients';
import { listGrants, revokeGrant } from '../../identity/oauth-routes';
import { OAUTH_PREFIX } from '../../identity/oauth-paths';
import { createOAuthRepository } from '../../store/oauth-repository';
import { auditFromCli } from '../cli-audit';
import type { CliIo, Command } from '../command';
import { parseFlags } from '../flags';
import { storeFlags, storeFlagsUsage, withHostDatabase } from '../host-database';
import { runSubcommand, type Subcommand } from '../subcommands';
import { table } from '../table';
import { UsageError } from '../usage-error';

/** The issuer apps are told: the running host's address, else the public URL or the configured port. */
function issuerOf(config: Config): string {
  const base = config.publicUrl?.replace(/\/+$/, '') ?? readRuntime(config.dataDir)?.origin ?? `http://127.0.0.1:${config.port}`;
  return `${base}${OAUTH_PREFIX}`;
}

async function clientAdd(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, { ...storeFlags, name: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true }, public: { type: 'boolean' } });
  if (!values.name?.trim()) throw new UsageError('--name is required.');
  const redirectUris = values['redirect-uri'] ?? [];
  if (redirectUris.length === 0) throw new UsageError('at least one --redirect-uri is required.');
  const { result, issuer } = withHostDatabase(values, (db, config) => {
    const added = addClient(createOAuthRepository(db), { name: values.name!, redirectUris, confidential: !values.public });
    if (added.ok) auditFromCli(db, config, { action: 'oauth.client.registered', subject: added.clientId, detail: { name: values.name!.trim(), redirectUris, confidential: !values.public, via: 'cli' } });
    return { result: added, issuer: issuerOf(config) };
  });
  if (!result.ok) {
    io.err(`codetether oauth: ${result.error}.`);
    return 1;
  }
  io.out(`client_id: ${result.clientId}`);
  if (result.clientSecret) io.out(`client_secret: ${result.clientSecret}`);
  io.err(
    `Registered "${values.name!.trim()}". ${result.clientSecret ? 'Copy the secret now: it is not shown again.\n' : ''}` +
      `Issuer: ${issuer}\n  authorization: ${issuer}/auth\n  token: ${issuer}/token\n  revocation: ${issuer}/token/revocation\n  discovery: ${issuer}/.well-known/openid-configuration\n` +
      'Scopes: read, a2a, mcp, worker, admin (ask for what the app needs; the user approves it in the monitor). PKCE (S256) is required.',
  );
  return 0;
}

async function clientList(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, { ...storeFlags, json: { type: 'boolean' } });
  const clients = withHostDatabase(values, (db) => listClients(createOAuthRepository(db)));
  if (values.json) {
    io.out(JSON.stringify(clients, null, 2));
    return 0;
  }
  if (clients.length === 0) {
    io.err('No OAuth apps. Register one with "codetether oauth client add --name N --redirect-uri URL".');
    return 0;
  }
  io.out(table([['ID', 'NAME', 'KIND', 'REDIRECT URIS'], ...clients.map((c) => [c.id, c.name, c.confidential ? 'confidential' : 'public', c.redirectUris.join(' ')])]));
  return 0;
}

async function clientRemove(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, storeFlags, true);
  if (positionals.length !== 1) throw new UsageError('remove takes exactly one client id.');
  const id = positionals[0]!;
  const removed = withHostDatabase(values, (db, config) => {
    const gone = createOAuthRepository(db).removeClient(id);
    if (gone) auditFromCli(db, config, { action: 'oauth.client.removed', subject: id, detail: { via: 'cli' } });
    return gone;
  });
  if (!removed) {
    io.err(`codetether oauth: no client "${id}". "codetether oauth client list" shows them.`);
    return 1;
  }
  io.err(`Removed client ${id}, with its grants and tokens: the app is refused from now on.`);
  return 0;
}

async function grantList(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, { ...storeFlags, json: { type: 'boolean' } });
  const grants = withHostDatabase(values, (db) => listGrants(createOAuthRepository(db)));
  if (values.json) {
    io.out(JSON.stringify(grants, null, 2));
    return 0;
  }
  if (grants.length === 0) {
    io.err('No app has been granted access.');
    return 0;
  }
  io.out(table([['ID', 'APP', 'ACCOUNT', 'ACCESS'], ...grants.map((g) => [g.id, g.clientName, g.account, g.resources.map((r) => `${r.resource}: ${r.scopes.join(',')}`).join('; ')])]));
  return 0;
}

async function grantRevoke(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, storeFlags, true);
  if (positionals.length !== 1) throw new UsageError('revoke takes exactly one grant id.');
  const id = positionals[0]!;
  const revoked = withHostDatabase(values, (db, config) => {
    const repo = createOAuthRepository(db);
    if (!repo.find('Grant', id)) return false;
    revokeGrant(repo, id);
    auditFromCli(db, config, { action: 'oauth.grant.revoked', subject: id, detail: { via: 'cli' } });
    return true;
  });
  if (!revoked) {
    io.err(`codetether oauth: no grant "${id}". "codetether oauth grant list" shows them.`);
    return 1;
  }
  io.err(`Revoked grant ${id}: its tokens stop working now.`);
  return 0;
}

const clientCommands: Record<string, Subcommand> = { add: clientAdd, list: clientList, remove: clientRemove };
const grantCommands: Record<string, Subcommand> = { list: grantList, revoke: grantRevoke };

export const oauthCommand: Command = {
  name: 'oauth',
  summary: 'Register apps (Zapier, your own) with the host\'s OAuth2 server; list and revoke what they were granted',
  usage: `codetether oauth <client|grant> ... [options]

  codetether oauth client add --name <name> --redirect-uri <url> [--redirect-uri <url> ...] [--public]
      Prints client_id (and client_secret, once) on stdout, the endpoints on stderr.
      --redirect-uri  https, or http on 127.0.0.1 / [::1] / localhost; no fragment
      --public        no secret (a native or command-line app that proves itself with PKCE alone)
  codetether oauth client list [--json]
  codetether oauth client remove <client-id>
      Also revokes everything the app was granted.
  codetether oauth grant list [--json]
  codetether oauth grant revoke <grant-id>

${storeFlagsUsage}`,
  run: (argv, io) =>
    runSubcommand({ client: (rest, cio) => runSubcommand(clientCommands, rest, cio), grant: (rest, cio) => runSubcommand(grantCommands, rest, cio) }, argv, io),
};
