import { realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Codebase, CodebaseRepository } from '../../store/codebase-repository';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export const codebaseNameRule = '1-64 characters of a-z, 0-9, ".", "_" and "-", starting with a letter or digit';
const namePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const howToRegister = 'codetether codebase add NAME PATH';

export interface RegisterInput {
  name: string;
  /** Must be absolute; callers resolve a user's relative path against their own cwd first. */
  path: string;
  defaultAgent?: string;
  allowedAgents?: string[];
  /** Every agent name the host can run, to catch a typo before it blocks every task. */
  knownAgents: readonly string[];
  now: number;
}

/** Why `path` cannot be a working directory, or undefined when it can. */
function directoryProblem(path: string): string | undefined {
  try {
    if (!statSync(path).isDirectory()) return `${path} is not a directory`;
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${path} does not exist`;
    if (code === 'ENOTDIR') return `${path} is not a directory`;
    return `${path} cannot be read (${(err as Error).message})`;
  }
}

export function registerCodebase(repo: CodebaseRepository, input: RegisterInput): Outcome<Codebase> {
  const { name, knownAgents } = input;
  if (!namePattern.test(name)) return { ok: false, error: `Codebase name "${name}" is invalid: use ${codebaseNameRule}.` };
  if (!isAbsolute(input.path)) return { ok: false, error: `Codebase path must be absolute, got "${input.path}".` };
  const problem = directoryProblem(input.path);
  if (problem) return { ok: false, error: `Cannot register codebase "${name}": ${problem}.` };
  const allowed = [...new Set(input.allowedAgents ?? [])];
  const unknown = [...allowed, ...(input.defaultAgent ? [input.defaultAgent] : [])].filter((a) => !knownAgents.includes(a));
  if (unknown.length) {
    return { ok: false, error: `Unknown agent ${unknown.map((a) => `"${a}"`).join(', ')}. Agents on this host: ${knownAgents.join(', ')}.` };
  }
  if (input.defaultAgent && allowed.length && !allowed.includes(input.defaultAgent)) {
    return { ok: false, error: `The default agent "${input.defaultAgent}" is not among the allowed agents (${allowed.join(', ')}).` };
  }
  const codebase: Codebase = {
    name,
    // Resolved once here so the stored path says where agents really run, whatever links led to it.
    path: realpathSync(input.path),
    defaultAgent: input.defaultAgent ?? null,
    allowedAgents: allowed,
    createdAt: input.now,
  };
  if (!repo.insert(codebase)) {
    const existing = repo.get(name);
    return { ok: false, error: `A codebase named "${name}" is already registered (${existing?.path}). Remove it first with "codetether codebase remove ${name}".` };
  }
  return { ok: true, value: codebase };
}

export interface CodebaseSelection {
  /** What the task asked for (metadata `codebase`); anything but a string is refused. */
  requested: unknown;
  /** Config `defaultCodebase`. */
  defaultName?: string;
  agent: string;
}

function pick(repo: CodebaseRepository, sel: CodebaseSelection): Outcome<Codebase> {
  const registered = () => repo.list().map((c) => c.name).join(', ');
  if (sel.requested !== undefined) {
    if (typeof sel.requested !== 'string') return { ok: false, error: 'Metadata "codebase" must be the name of a registered codebase.' };
    const found = repo.get(sel.requested);
    if (found) return { ok: true, value: found };
    const names = registered();
    return {
      ok: false,
      error: names
        ? `No codebase named "${sel.requested}" is registered. Registered codebases: ${names}.`
        : `No codebase named "${sel.requested}" is registered; none is. Register one with: ${howToRegister}`,
    };
  }
  if (sel.defaultName) {
    const found = repo.get(sel.defaultName);
    if (found) return { ok: true, value: found };
    return { ok: false, error: `Config "defaultCodebase" names "${sel.defaultName}", which is not registered. Register it with: ${howToRegister}` };
  }
  const all = repo.list();
  if (all.length === 1) return { ok: true, value: all[0]! };
  if (all.length === 0) return { ok: false, error: `No codebase is registered, and the agent needs one to work in. Register a folder with: ${howToRegister}` };
  return {
    ok: false,
    error: `Several codebases are registered (${all.map((c) => c.name).join(', ')}): choose one with message metadata "codebase", or set "defaultCodebase" in the config.`,
  };
}

/** The codebase a task runs in; never a path taken from the message itself. */
export function resolveCodebase(repo: CodebaseRepository, sel: CodebaseSelection): Outcome<Codebase> {
  const picked = pick(repo, sel);
  if (!picked.ok) return picked;
  const c = picked.value;
  if (c.allowedAgents.length && !c.allowedAgents.includes(sel.agent)) {
    return { ok: false, error: `Agent "${sel.agent}" may not run in codebase "${c.name}"; allowed agents: ${c.allowedAgents.join(', ')}.` };
  }
  const problem = directoryProblem(c.path);
  if (problem) return { ok: false, error: `Codebase "${c.name}" cannot be used: ${problem}. Register the folder again with: ${howToRegister}` };
  return picked;
}
