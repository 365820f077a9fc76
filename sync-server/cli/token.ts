import { WORKSPACE_PATTERN } from '../../shared/sync-names';
import { closeRelayDb, openRelayDb } from '../store/open';
import { createTokenStore } from '../store/tokens';
import { parseFlags, UsageError, type Io } from './io';

export const tokenUsage = `codetether-relay token <create|list|revoke> [options]

  token create --workspace <id> [--label <text>] [--data-dir <dir>]
      prints a new token once; only its SHA-256 is stored
  token add --workspace <id> [--label <text>] [--data-dir <dir>] < token-file
      stores a token created elsewhere (read from stdin), so every relay sharing
      one Redis accepts it
  token list [--data-dir <dir>]
  token revoke <id> [--data-dir <dir>]
      live connections using it are closed within seconds

--data-dir defaults to $CODETETHER_RELAY_DATA_DIR, then ./relay-data`;

function dataDir(flag: string | undefined): string {
  return flag ?? process.env.CODETETHER_RELAY_DATA_DIR ?? 'relay-data';
}

export async function token(argv: string[], io: Io): Promise<number> {
  const [action, ...rest] = argv;
  if (action === 'create') {
    const { values } = parseFlags(rest, { workspace: { type: 'string' }, label: { type: 'string' }, 'data-dir': { type: 'string' } });
    const workspace = checkWorkspace(values.workspace);
    return withTokens(values['data-dir'], (tokens) => {
      const created = tokens.create(workspace, values.label);
      io.out(created.token);
      io.err(`Token ${created.id} for workspace "${workspace}". It is shown only this once.`);
      return 0;
    });
  }
  if (action === 'add') {
    const { values } = parseFlags(rest, { workspace: { type: 'string' }, label: { type: 'string' }, 'data-dir': { type: 'string' } });
    const workspace = checkWorkspace(values.workspace);
    const presented = (await readStdin()).trim();
    return withTokens(values['data-dir'], (tokens) => {
      const id = tokens.add(workspace, presented, values.label);
      io.out(`Added token ${id} for workspace "${workspace}".`);
      return 0;
    });
  }
  if (action === 'list') {
    const { values } = parseFlags(rest, { 'data-dir': { type: 'string' } });
    return withTokens(values['data-dir'], (tokens) => {
      for (const t of tokens.list()) {
        const state = t.revokedAt ? `revoked ${new Date(t.revokedAt).toISOString()}` : 'active';
        io.out([t.id, t.workspace, new Date(t.createdAt).toISOString(), state, t.label ?? ''].join('\t'));
      }
      return 0;
    });
  }
  if (action === 'revoke') {
    const { values, positionals } = parseFlags(rest, { 'data-dir': { type: 'string' } }, true);
    const id = Number(positionals[0]);
    if (positionals.length !== 1 || !Number.isInteger(id)) throw new UsageError('give the id of one token (see "token list")');
    return withTokens(values['data-dir'], (tokens) => {
      if (!tokens.revoke(id)) {
        io.err(`No active token with id ${id}.`);
        return 1;
      }
      io.out(`Revoked token ${id}.`);
      return 0;
    });
  }
  throw new UsageError(action ? `unknown token action "${action}"` : 'token needs an action');
}

function withTokens(dir: string | undefined, fn: (tokens: ReturnType<typeof createTokenStore>) => number): number {
  const db = openRelayDb(dataDir(dir));
  try {
    return fn(createTokenStore(db));
  } finally {
    closeRelayDb(db);
  }
}

function checkWorkspace(workspace: string | undefined): string {
  if (!workspace) throw new UsageError('--workspace is required');
  if (!WORKSPACE_PATTERN.test(workspace)) throw new UsageError('--workspace must be 1-64 of A-Z a-z 0-9 _ . - (starting with a letter or digit)');
  return workspace;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
