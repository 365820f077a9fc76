import type { Config } from '../../base/config-schema';
import { createClaudeAdapter } from '../adapters/claude';
import type { AgentSessions, CliAdapter, CliAgentDeps } from '../adapters/cli-agent';
import { createCodexAdapter } from '../adapters/codex';
import { createGeminiAdapter } from '../adapters/gemini';
import { agentPath } from '../adapters/installation-bin';
import { createOpencodeAdapter } from '../adapters/opencode';
import type { PtyAgentDeps } from './pty-agent';

export type CodingAgentConfig = Pick<Config, 'llmBaseUrl' | 'llmApiKey' | 'llmModel' | 'agentEnv' | 'defaultCodebase'>;

export interface CodingAdapterDeps {
  sessions: AgentSessions;
  /** Where API keys the CLIs read are passed through from; the host process's environment. */
  hostEnv?: NodeJS.ProcessEnv;
}

export interface CodingAgentDeps extends Omit<PtyAgentDeps, 'defaultCodebase'>, CodingAdapterDeps {}

const factories: Record<string, (config: CodingAgentConfig, cli: CliAgentDeps) => CliAdapter> = {
  opencode: (config, cli) => createOpencodeAdapter({ baseUrl: config.llmBaseUrl, apiKey: config.llmApiKey, model: config.llmModel }, cli),
  claude: (_config, cli) => createClaudeAdapter(cli),
  codex: (_config, cli) => createCodexAdapter(cli),
  gemini: (_config, cli) => createGeminiAdapter(cli),
};

/** The names of the built-in coding agent CLIs, in the order they are listed. */
export const codingAgentNames: readonly string[] = Object.keys(factories);

/** The adapters of the built-in coding agent CLIs, installed or not. */
export function codingAdapters(config: CodingAgentConfig, deps: CodingAdapterDeps): CliAdapter[] {
  const hostEnv = deps.hostEnv ?? { ...process.env, PATH: agentPath(process.env.PATH) };
  return Object.entries(factories).map(([name, make]) => make(config, { sessions: deps.sessions, env: config.agentEnv[name], hostEnv }));
}
