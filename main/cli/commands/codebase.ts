import { resolve } from 'node:path';
import type { Config } from '../../base/config-schema';
import type { CodebaseInfo } from '../../../shared/monitor-api';
import { createCodebaseRepository, type CodebaseRepository } from '../../store/codebase-repository';
import type { Db } from '../../store/open';
import { createRoamingRepository } from '../../store/roaming-repository';
import { knownCodebases } from '../../sync/known-codebases';
import { storeFlags, storeFlagsUsage, withHostDatabase } from '../host-database';
import { runSubcommand, type Subcommand } from '../subcommands';
import { inProcessAgentNames } from '../../host/in-process-agents';
import { hostCatalogNames } from '../../workers/agents/catalog';
import { codebaseNameRule, registerCodebase } from '../../workers/workspace/codebases';
import type { CliIo, Command } from '../command';
import { auditFromCli } from '../cli-audit';
import { parseFlags } from '../flags';
import { table } from '../table';
import { UsageError } from '../usage-error';

function withCodebases<T>(values: { 'data-dir'?: string; config?: string }, use: (repo: CodebaseRepository, config: Config, db: Db) => T): T {
  return withHostDatabase(values, (db, config) => use(createCodebaseRepository(db), config, db));
}

function asJson(c: CodebaseInfo) {
  return { ...c, createdAt: new Date(c.createdAt).toISOString() };
}

/** Where a codebase is: here (maybe also elsewhere), or only on other devices of the sync workspace. */
function where(c: CodebaseInfo): string {
  const others = c.elsewhere.join(', ');
  if (!c.onThisDevice) return `on ${others}, not on this device`;
  return others ? `here, also on ${others}` : 'here';
}

function agentList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').map((a) => a.trim()).filter(Boolean);
}

async function add(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, { ...storeFlags, agent: { type: 'string' }, allow: { type: 'string' } }, true);
  if (positionals.length !== 2) throw new UsageError('add takes a NAME and a PATH.');
  const [name, path] = positionals as [string, string];
  const result = withCodebases(values, (repo, config, db) => {
    const added = registerCodebase(repo, {
      name,
      path: resolve(path),
      defaultAgent: values.agent,
      allowedAgents: agentList(values.allow),
      knownAgents: hostCatalogNames(config, inProcessAgentNames),
      now: Date.now(),
    });
    if (added.ok) auditFromCli(db, config, { action: 'codebase.registered', subject: added.value.name, detail: { path: added.value.path, via: 'cli' } });
    return added;
  });
  if (!result.ok) {
    io.err(`codetether codebase: ${result.error}`);
    return 1;
  }
  const c = result.value;
  io.err(`Registered codebase "${c.name}" at ${c.path}.`);
  return 0;
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, { ...storeFlags, json: { type: 'boolean' } });
  const all = withHostDatabase(values, (db) => knownCodebases(createCodebaseRepository(db).list(), createRoamingRepository(db).codebases()));
  if (values.json) {
    io.out(JSON.stringify(all.map(asJson), null, 2));
    return 0;
  }
  if (all.length === 0) {
    io.err('No codebases. Register one with "codetether codebase add NAME PATH".');
    return 0;
  }
  io.out(
    table([
      ['NAME', 'PATH', 'DEFAULT AGENT', 'ALLOWED AGENTS', 'WHERE'],
      ...all.map((c) => [c.name, c.path ?? '-', c.defaultAgent ?? '-', c.allowedAgents.length ? c.allowedAgents.join(',') : 'any', where(c)]),
    ]),
  );
  return 0;
}

async function remove(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, storeFlags, true);
  if (positionals.length !== 1) throw new UsageError('remove takes exactly one codebase name.');
  const name = positionals[0]!;
  const removed = withCodebases(values, (repo, config, db) => {
    const gone = repo.remove(name);
    if (gone) auditFromCli(db, config, { action: 'codebase.removed', subject: name, detail: { via: 'cli' } });
    return gone;
  });
  if (!removed) {
    io.err(`codetether codebase: no codebase named "${name}". "codetether codebase list" shows them.`);
    return 1;
  }
  io.err(`Removed codebase "${name}". Its folder is untouched.`);
  return 0;
}

const subcommands: Record<string, Subcommand> = { add, list, remove };

export const codebaseCommand: Command = {
  name: 'codebase',
  summary: 'Register, list and remove the folders agents may work in',
  usage: `codetether codebase <add|list|remove> [options]

  codetether codebase add NAME PATH [--agent <name>] [--allow <a,b>]
      NAME     ${codebaseNameRule}
      PATH     an existing directory (relative paths are resolved against the current one)
      --agent  the agent tasks in this codebase use by default
      --allow  comma-separated agents allowed to run here (default: any)
  codetether codebase list [--json]
      also lists, without a path, codebases other devices of the sync workspace registered;
      register one here with "add" under the same name and this device's folder
  codetether codebase remove NAME

A task picks its codebase with message metadata "codebase"; without it the config's
"defaultCodebase" is used, or the only registered codebase.

${storeFlagsUsage}`,
  run: (argv, io) => runSubcommand(subcommands, argv, io),
};
