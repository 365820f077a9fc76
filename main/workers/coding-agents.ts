import type { Config } from '../host/config-schema';
import type { AgentExecutor } from '../tasks/executor';
import { createClaudeAdapter } from './adapters/claude';
import type { AgentSessions } from './adapters/cli-agent';
import { createCodexAdapter } from './adapters/codex';
import { createGeminiAdapter } from './adapters/gemini';
import { createOpencodeAdapter } from './adapters/opencode';
import { createPtyAgent, type PtyAgentDeps } from './pty-agent';

export type CodingAgentConfig = Pick<Config, 'llmBaseUrl' | 'llmApiKey' | 'llmModel' | 'agentEnv' | 'defaultCodebase'>;

export interface CodingAgentDeps extends Omit<PtyAgentDeps, 'defaultCodebase'> {
  sessions: AgentSessions;
  /** Where API keys the CLIs read are passed through from; the host process's environment. */
  hostEnv?: NodeJS.ProcessEnv;
}

/** The built-in coding agent CLIs, each in a pty; listed whether installed or not (see docs/agent-protocol.md). */
export function codingAgents(config: CodingAgentConfig, deps: CodingAgentDeps): AgentExecutor[] {
  const cli = (name: string) => ({ sessions: deps.sessions, env: config.agentEnv[name], hostEnv: deps.hostEnv ?? process.env });
  const llm = { baseUrl: config.llmBaseUrl, apiKey: config.llmApiKey, model: config.llmModel };
  const adapters = [createOpencodeAdapter(llm, cli('opencode')), createClaudeAdapter(cli('claude')), createCodexAdapter(cli('codex')), createGeminiAdapter(cli('gemini'))];
  return adapters.map((adapter) => createPtyAgent(adapter, { ...deps, defaultCodebase: config.defaultCodebase }));
}
