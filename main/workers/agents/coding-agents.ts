import type { Config } from '../../base/config-schema';
import type { AgentExecutor } from '../../tasks/executor';
import { createClaudeAdapter } from '../adapters/claude';
import type { AgentSessions, CliAdapter } from '../adapters/cli-agent';
import { createCodexAdapter } from '../adapters/codex';
import { createGeminiAdapter } from '../adapters/gemini';
import { createOpencodeAdapter } from '../adapters/opencode';
import { createPtyAgent, type PtyAgentDeps } from './pty-agent';

export type CodingAgentConfig = Pick<Config, 'llmBaseUrl' | 'llmApiKey' | 'llmModel' | 'agentEnv' | 'defaultCodebase'>;

export interface CodingAdapterDeps {
  sessions: AgentSessions;
  /** Where API keys the CLIs read are passed through from; the host process's environment. */
  hostEnv?: NodeJS.ProcessEnv;
}

export interface CodingAgentDeps extends Omit<PtyAgentDeps, 'defaultCodebase'>, CodingAdapterDeps {}

/** The adapters of the built-in coding agent CLIs, installed or not. */
export function codingAdapters(config: CodingAgentConfig, deps: CodingAdapterDeps): CliAdapter[] {
  const cli = (name: string) => ({ sessions: deps.sessions, env: config.agentEnv[name], hostEnv: deps.hostEnv ?? process.env });
  const llm = { baseUrl: config.llmBaseUrl, apiKey: config.llmApiKey, model: config.llmModel };
  return [createOpencodeAdapter(llm, cli('opencode')), createClaudeAdapter(cli('claude')), createCodexAdapter(cli('codex')), createGeminiAdapter(cli('gemini'))];
}

/** The built-in coding agent CLIs, each in a pty; listed whether installed or not (see docs/agent-protocol.md). */
export function codingAgents(config: CodingAgentConfig, deps: CodingAgentDeps): AgentExecutor[] {
  return codingAdapters(config, deps).map((adapter) => createPtyAgent(adapter, { ...deps, defaultCodebase: config.defaultCodebase }));
}
