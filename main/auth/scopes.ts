/**
 * Every scope a token can carry. This list is the one source: the CLI validates `--scopes`
 * against it and the guard checks routes against it.
 */
export const scopeNames = ['admin', 'a2a', 'mcp', 'worker', 'read', 'hooks'] as const;

export type Scope = (typeof scopeNames)[number];

export const scopeDescriptions: Record<Scope, string> = {
  admin: 'everything, including what the other scopes grant',
  a2a: 'send and read A2A tasks (includes read)',
  mcp: 'the MCP endpoint',
  worker: 'the remote worker endpoints',
  read: 'read-only access to tasks and sessions',
  hooks: 'subscribe to task and Ralph events (REST hooks) and poll them; the events carry task results',
};

/** What `codetether token create` grants without `--scopes`: an IDE or agent client's needs. */
export const defaultScopes: readonly Scope[] = ['a2a', 'mcp'];

/** The scopes each scope satisfies, itself included. */
const satisfies: Record<Scope, readonly Scope[]> = {
  admin: scopeNames,
  a2a: ['a2a', 'read'],
  mcp: ['mcp'],
  worker: ['worker'],
  read: ['read'],
  hooks: ['hooks'],
};

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (scopeNames as readonly string[]).includes(value);
}

export function grants(held: readonly Scope[], required: Scope): boolean {
  for (const scope of held) if (satisfies[scope].includes(required)) return true;
  return false;
}

export type ScopeListResult = { ok: true; scopes: Scope[] } | { ok: false; unknown: string[] };

/** Parses `a2a,mcp` (spaces allowed, duplicates dropped). An empty list is reported as unknown ''. */
export function parseScopeList(text: string): ScopeListResult {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, unknown: [''] };
  const unknown = parts.filter((p) => !isScope(p));
  if (unknown.length > 0) return { ok: false, unknown };
  return { ok: true, scopes: [...new Set(parts as Scope[])] };
}
