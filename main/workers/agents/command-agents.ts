import type { Config } from '../../base/config-schema';
import type { AgentExecutor } from '../../tasks/executor';
import { createCommandAdapter } from '../adapters/command';
import { createPtyAgent, type PtyAgentDeps } from './pty-agent';

/** One pty-backed agent per entry of config `agents`, named by its key. */
export function commandAgents(config: Pick<Config, 'agents' | 'defaultCodebase'>, deps: Omit<PtyAgentDeps, 'defaultCodebase'>): AgentExecutor[] {
  return Object.entries(config.agents).map(([name, agent]) =>
    createPtyAgent(createCommandAdapter(name, agent), { ...deps, defaultCodebase: config.defaultCodebase }),
  );
}
