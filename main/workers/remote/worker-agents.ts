import type { Config } from '../../base/config-schema';
import type { AgentExecutor } from '../../tasks/executor';
import type { AgentAdapter } from '../adapters/adapter';
import { createCommandAdapter } from '../adapters/command';
import type { Outcome } from '../workspace/codebases';
import { codingAdapters, type CodingAgentConfig, type CodingAgentDeps } from '../agents/coding-agents';
import { createPtyAgent } from '../agents/pty-agent';

export interface WorkerAgents {
  agents: Map<string, AgentExecutor>;
  /** Built-in agents asked for by name whose CLI is not installed here: their tasks fail with how to install it. */
  notInstalled: string[];
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * The agents `codetether worker` offers its host: those `requested` by name, each a command agent
 * of this machine's config or a built-in coding agent. By default every command agent and the
 * built-in agents installed here: a worker offering a CLI it lacks would take tasks another worker
 * could run, only to fail them.
 */
export function workerAgents(
  config: Pick<Config, 'agents'> & CodingAgentConfig,
  requested: readonly string[] | undefined,
  deps: CodingAgentDeps,
): Outcome<WorkerAgents> {
  const builtIn = new Map(codingAdapters(config, deps).map((a) => [a.name, a]));
  const configured = Object.keys(config.agents);
  const clash = configured.find((n) => builtIn.has(n));
  if (clash) return { ok: false, error: `Config "agents.${clash}" has the name of a built-in agent; choose another name.` };
  const available = [...configured, ...builtIn.keys()];
  const names = [...new Set(requested ?? [...configured, ...[...builtIn.values()].filter((a) => a.installed).map((a) => a.name)])];
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length) {
    return { ok: false, error: `Unknown agent ${quoted(unknown)}: neither built in nor configured under "agents" in this machine's config (--config). Available: ${available.join(', ')}.` };
  }
  if (names.length === 0) {
    return { ok: false, error: `No agents to run: install a coding agent CLI (${[...builtIn.keys()].join(', ')}) or configure command agents under "agents" in the config (--config).` };
  }
  const adapter = (name: string): AgentAdapter => builtIn.get(name) ?? createCommandAdapter(name, config.agents[name]!);
  const agents = new Map(names.map((n) => [n, createPtyAgent(adapter(n), { ...deps, defaultCodebase: config.defaultCodebase })]));
  const notInstalled = names.filter((n) => builtIn.get(n)?.installed === false);
  return { ok: true, value: { agents, notInstalled } };
}
