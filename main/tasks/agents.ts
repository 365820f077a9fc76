import { echoAgent } from './echo-agent';
import type { AgentExecutor } from './executor';

/** The agents this host can run, by name. The workers issue adds pty-backed coding agents here. */
export function builtInAgents(): Map<string, AgentExecutor> {
  return new Map([[echoAgent.name, echoAgent]]);
}
