import type { Config } from '../../base/config-schema';
import type { AgentExecutor } from '../../tasks/executor';
import type { AgentAdapter } from '../adapters/adapter';
import type { CliAdapter } from '../adapters/cli-agent';
import { createCommandAdapter } from '../adapters/command';
import type { Outcome } from '../workspace/codebases';
import { codingAdapters, codingAgentNames, type CodingAgentConfig, type CodingAgentDeps } from './coding-agents';
import { createPtyAgent } from './pty-agent';

export type CatalogConfig = Pick<Config, 'agents'> & CodingAgentConfig;

/** The agents a machine can run, by name. */
export interface AgentCatalog {
  readonly agents: ReadonlyMap<string, AgentExecutor>;
  /** Agents whose runs are processes in a pty and so take one of the machine's concurrency slots. */
  readonly ptyAgents: ReadonlySet<string>;
}

export interface WorkerCatalog extends AgentCatalog {
  /** Built-in agents asked for by name whose CLI is not installed here: their tasks fail with how to install it. */
  readonly notInstalled: string[];
}

interface PtyAdapters {
  builtIn: Map<string, CliAdapter>;
  configured: string[];
  adapter(name: string): AgentAdapter;
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** The built-in coding CLIs and the command agents of config `agents`, which may not take a built-in agent's name. */
function ptyAdapters(config: CatalogConfig, deps: CodingAgentDeps, inProcess: readonly string[] = []): Outcome<PtyAdapters> {
  const builtIn = new Map(codingAdapters(config, deps).map((a) => [a.name, a]));
  const configured = Object.keys(config.agents);
  const clash = configured.find((n) => builtIn.has(n) || inProcess.includes(n));
  if (clash) return { ok: false, error: `Config "agents.${clash}" has the name of a built-in agent; choose another name.` };
  return { ok: true, value: { builtIn, configured, adapter: (name) => builtIn.get(name) ?? createCommandAdapter(name, config.agents[name]!) } };
}

function ptyAgentsOf(names: readonly string[], adapters: PtyAdapters, config: CatalogConfig, deps: CodingAgentDeps): Map<string, AgentExecutor> {
  return new Map(names.map((n) => [n, createPtyAgent(adapters.adapter(n), { ...deps, defaultCodebase: config.defaultCodebase })]));
}

/**
 * What the host runs: its built-in in-process agents (echo, ...), every built-in coding agent CLI
 * whether installed or not (a missing one fails its task with the install command), and every
 * configured command agent, in that order. `extra` in-process agents come last and replace an
 * agent of the same name (tests add slow or blocking agents this way).
 */
export function hostCatalog(
  config: CatalogConfig,
  deps: CodingAgentDeps,
  builtIn: readonly AgentExecutor[],
  extra: readonly AgentExecutor[] = [],
): Outcome<AgentCatalog> {
  const adapters = ptyAdapters(config, deps, builtIn.map((a) => a.name));
  if (!adapters.ok) return adapters;
  const pty = ptyAgentsOf([...adapters.value.builtIn.keys(), ...adapters.value.configured], adapters.value, config, deps);
  const agents = new Map<string, AgentExecutor>([...builtIn.map((a) => [a.name, a] as const), ...pty]);
  const ptyAgents = new Set(pty.keys());
  for (const agent of extra) {
    ptyAgents.delete(agent.name);
    agents.set(agent.name, agent);
  }
  return { ok: true, value: { agents, ptyAgents } };
}

/** An agent that runs in the worker's own process (no CLI, no pty), offered by default when `ready`. */
export interface InProcessAgent {
  agent: AgentExecutor;
  ready: boolean;
}

/**
 * What `codetether worker` offers its host: the agents `requested` by name, each a command agent
 * of this machine's config, a built-in coding agent or an in-process agent. By default every
 * command agent, the built-in agents installed here and the in-process agents that are ready: a
 * worker offering a CLI it lacks would take tasks another worker could run, only to fail them.
 */
export function workerCatalog(
  config: CatalogConfig,
  requested: readonly string[] | undefined,
  deps: CodingAgentDeps,
  inProcess: readonly InProcessAgent[] = [],
): Outcome<WorkerCatalog> {
  const own = new Map(inProcess.map((p) => [p.agent.name, p.agent]));
  const found = ptyAdapters(config, deps, [...own.keys()]);
  if (!found.ok) return found;
  const { builtIn, configured } = found.value;
  const available = [...configured, ...builtIn.keys(), ...own.keys()];
  const names = [
    ...new Set(requested ?? [...configured, ...[...builtIn.values()].filter((a) => a.installed).map((a) => a.name), ...inProcess.filter((p) => p.ready).map((p) => p.agent.name)]),
  ];
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length) {
    return { ok: false, error: `Unknown agent ${quoted(unknown)}: neither built in nor configured under "agents" in this machine's config (--config). Available: ${available.join(', ')}.` };
  }
  if (names.length === 0) {
    return { ok: false, error: `No agents to run: install a coding agent CLI (${[...builtIn.keys()].join(', ')}) or configure command agents under "agents" in the config (--config).` };
  }
  const notInstalled = names.filter((n) => builtIn.get(n)?.installed === false);
  const pty = ptyAgentsOf(names.filter((n) => !own.has(n)), found.value, config, deps);
  const agents = new Map(names.map((n) => [n, own.get(n) ?? pty.get(n)!]));
  return { ok: true, value: { agents, ptyAgents: new Set(pty.keys()), notInstalled } };
}

/** The names `hostCatalog` would hold, without building any agent: what a codebase may name. */
export function hostCatalogNames(config: Pick<Config, 'agents'>, inProcess: readonly string[]): string[] {
  return [...new Set([...inProcess, ...codingAgentNames, ...Object.keys(config.agents)])];
}
