import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Outcome } from '../workspace/codebases';

/** An OpenAI-compatible endpoint from config (`llmBaseUrl`, `llmApiKey`, `llmModel`). */
export interface LlmSettings {
  baseUrl?: string;
  apiKey?: string;
  model?: string;
}

/** The provider id our endpoint gets in OpenCode's config: models are named `codetether/<model>`. */
export const LLM_PROVIDER = 'codetether';

/** Provider keys OpenCode reads from its environment; any of them means the user brought a provider of their own. */
export const OPENCODE_KEY_VARS = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'OPENROUTER_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_GENERATIVE_AI_API_KEY', 'GROQ_API_KEY', 'XAI_API_KEY', 'DEEPSEEK_API_KEY'] as const;

export const LLM_SETUP_HINT =
  'Set "llmBaseUrl" and "llmModel" (and "llmApiKey" if the endpoint needs one) in the config, or CODETETHER_LLM_BASE_URL, CODETETHER_LLM_MODEL and CODETETHER_LLM_API_KEY; or configure OpenCode itself ("opencode auth login", or a provider in ~/.config/opencode/opencode.json)';

/** Whether OpenCode, run with `env`, has a provider of its own: saved credentials, a config file, or a key variable. */
function hasOwnProvider(env: Readonly<Record<string, string>>): boolean {
  const home = env.HOME ?? '';
  const data = env.XDG_DATA_HOME || join(home, '.local/share');
  const config = env.XDG_CONFIG_HOME || join(home, '.config');
  const files = [
    join(data, 'opencode/auth.json'),
    ...['opencode.json', 'opencode.jsonc', 'config.json'].map((f) => join(config, 'opencode', f)),
    ...(env.PWD ? ['opencode.json', 'opencode.jsonc'].map((f) => join(env.PWD!, f)) : []),
  ];
  return OPENCODE_KEY_VARS.some((k) => env[k]) || files.some((f) => existsSync(f));
}

/**
 * `OPENCODE_CONFIG_CONTENT` for a run, merged by OpenCode over the user's own config. Always
 * allows every tool: without it a tool that asks is rejected (nobody can answer in a pty) and the
 * run still exits 0. With an endpoint configured it adds that endpoint as a provider and makes
 * it the default model. Fails when there is no model to talk to at all.
 */
export function opencodeConfig(llm: LlmSettings, requestedModel: string | undefined, env: Readonly<Record<string, string>>): Outcome<Record<string, unknown>> {
  const config: Record<string, unknown> = { permission: { '*': 'allow' }, autoupdate: false, share: 'disabled' };
  if (!llm.baseUrl) {
    if (hasOwnProvider(env)) return { ok: true, value: config };
    return { ok: false, error: `Agent "opencode" has no LLM to talk to. ${LLM_SETUP_HINT}.` };
  }
  const model = requestedModel && !requestedModel.includes('/') ? requestedModel : llm.model;
  if (!model) return { ok: false, error: `Agent "opencode": "llmBaseUrl" is set but no model is. Set "llmModel" in the config (or CODETETHER_LLM_MODEL), or send metadata "model".` };
  const models = Object.fromEntries([...new Set([llm.model, model])].filter((m): m is string => !!m).map((m) => [m, { name: m }]));
  const options = { baseURL: llm.baseUrl, ...(llm.apiKey ? { apiKey: llm.apiKey } : {}) };
  return {
    ok: true,
    value: { ...config, provider: { [LLM_PROVIDER]: { npm: '@ai-sdk/openai-compatible', name: 'CodeTether LLM endpoint', options, models } }, model: `${LLM_PROVIDER}/${model}` },
  };
}
