import { RALPH_AGENT } from '../ralph/agent';
import { RLM_AGENT } from '../rlm/agent';
import { builtInAgents } from '../tasks/agents';

/** The names of the agents the host runs in its own process (it builds them in host.ts), for commands that check agent names without a running host. */
export const inProcessAgentNames: readonly string[] = [...builtInAgents().keys(), RLM_AGENT, RALPH_AGENT];
