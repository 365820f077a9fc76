import { Role, TaskState, type Part } from '@a2a-js/sdk';
import { RLM_ANSWER_ARTIFACT, RLM_TRAJECTORY_ARTIFACT, type RlmRecord } from '../../shared/rlm-trajectory';
import type { Config } from '../base/config-schema';
import type { CodebaseRepository } from '../store/codebase-repository';
import type { AgentExecutor, ExecutionContext } from '../tasks/executor';
import { newId } from '../tasks/ids';
import { limitsOf, type RlmConfig } from './limits';
import { runRlm } from './loop';
import { materialOf } from './material';
import { createModelClient } from './model-client';

export type RlmAgentConfig = RlmConfig &
  Pick<Config, 'llmBaseUrl' | 'llmApiKey' | 'llmModel' | 'rlmSubModel' | 'rlmSubCallConcurrency' | 'rlmModelTimeoutMs' | 'rlmMaxRetries' | 'defaultCodebase'>;

export interface RlmAgentDeps {
  config: RlmAgentConfig;
  codebases: CodebaseRepository;
}

export const RLM_AGENT = 'rlm';

const textPart = (value: string): Part => ({ content: { $case: 'text', value }, metadata: undefined, filename: '', mediaType: '' });
const dataPart = (value: RlmRecord): Part => ({ content: { $case: 'data', value }, metadata: undefined, filename: '', mediaType: 'application/json' });

function reply(ctx: ExecutionContext, text: string) {
  return { messageId: newId(), contextId: ctx.task.contextId, taskId: ctx.task.id, role: Role.ROLE_AGENT, parts: [textPart(text)], metadata: undefined, extensions: [], referenceTaskIds: [] };
}

function fail(ctx: ExecutionContext, text: string): void {
  ctx.update({ kind: 'status', state: TaskState.TASK_STATE_FAILED, message: reply(ctx, text) });
}

/** One line per step for the status (MCP progress and the monitor read it). */
function stepLine(record: RlmRecord): string | undefined {
  if (record.kind !== 'step') return undefined;
  const calls = record.subCalls.length;
  const extra = [record.error ? 'error' : '', ...record.limits].filter(Boolean).join(', ');
  return `step ${record.index}: ${calls} sub-call${calls === 1 ? '' : 's'}, ${record.outputChars} characters of output, ${(record.ms / 1000).toFixed(1)} s${extra ? ` (${extra})` : ''}${record.final ? ', final answer' : ''}`;
}

/**
 * The `rlm` agent: answers the message's question over material far larger than a model's
 * context (parts of the message, or files of a registered codebase) as a Recursive Language
 * Model. Artifacts: `answer` (text) and `trajectory` (one data part per record: start, steps, end).
 */
export function createRlmAgent(deps: RlmAgentDeps): AgentExecutor {
  const { config } = deps;
  // One client per agent: the config cannot change under a running host.
  const client = config.llmBaseUrl
    ? createModelClient({ baseUrl: config.llmBaseUrl, apiKey: config.llmApiKey, timeoutMs: config.rlmModelTimeoutMs, maxRetries: config.rlmMaxRetries })
    : undefined;
  return {
    name: RLM_AGENT,
    description: 'Answers a question over inputs far larger than a model context: code in a sandbox slices the material and asks sub-models about the pieces.',
    skill: {
      id: RLM_AGENT,
      name: 'Recursive language model',
      description:
        'The first text part is the question; the material is the other parts (text, file bytes, data) and/or the files of a registered codebase (metadata "codebase", optional "paths" globs). A root model writes JavaScript that runs in a QuickJS sandbox against `context`, calls sub-models on pieces with llm_query, and ends with FINAL. Artifacts: answer, trajectory. Metadata "rlm" may tighten the limits (maxIterations, maxSubCalls, maxSubCallsPerStep, outputChars, stepTimeoutMs, taskTimeoutMs, maxDepth).',
      tags: ['rlm', 'long-context', 'analysis'],
      examples: ['Which modules read environment variables? (metadata: {"codebase": "app", "paths": ["src/**/*.ts"]})'],
    },
    async execute(ctx) {
      if (!client || !config.llmModel) {
        return fail(ctx, 'The rlm agent needs a model: set "llmBaseUrl" (an OpenAI-compatible endpoint, .../v1) and "llmModel" in the config (and "llmApiKey" if the endpoint wants one; "rlmSubModel" for a cheaper sub-call model).');
      }
      const limits = limitsOf(config, ctx.message.metadata?.rlm);
      if (!limits.ok) return fail(ctx, limits.error);
      const material = await materialOf(ctx.message, { codebases: deps.codebases, defaultCodebase: config.defaultCodebase });
      if (!material.ok) return fail(ctx, material.error);
      const m = material.value;
      ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING, message: reply(ctx, `loading ${m.documents} document${m.documents === 1 ? '' : 's'} (${m.size} bytes) into the sandbox`) });

      let records = 0;
      const model = (typeof ctx.message.metadata?.model === 'string' && ctx.message.metadata.model) || config.llmModel;
      const result = await runRlm({
        material: m,
        limits: limits.value,
        client,
        models: { root: model, sub: config.rlmSubModel ?? model },
        concurrency: config.rlmSubCallConcurrency,
        signal: ctx.signal,
        onRecord(record) {
          // A canceled task takes no more updates; its trajectory so far is already stored.
          if (ctx.signal.aborted) return;
          const first = records++ === 0;
          const line = stepLine(record);
          ctx.update(
            {
              kind: 'artifact',
              artifact: { artifactId: RLM_TRAJECTORY_ARTIFACT, name: RLM_TRAJECTORY_ARTIFACT, description: 'Each step: the code, its output as the root model saw it, the sub-calls and tokens', parts: [dataPart(record)], metadata: undefined, extensions: [] },
              append: !first,
              lastChunk: record.kind === 'end',
            },
            ...(line ? [{ kind: 'status' as const, state: TaskState.TASK_STATE_WORKING, message: reply(ctx, line) }] : []),
          );
        },
      });
      if (ctx.signal.aborted) return;
      if (result.stop !== 'final' || result.answer === undefined) return fail(ctx, `RLM stopped (${result.stop}): ${result.message}.`);
      ctx.update(
        { kind: 'artifact', artifact: { artifactId: RLM_ANSWER_ARTIFACT, name: RLM_ANSWER_ARTIFACT, description: 'The final answer', parts: [textPart(result.answer)], metadata: undefined, extensions: [] }, lastChunk: true },
        { kind: 'status', state: TaskState.TASK_STATE_COMPLETED, message: reply(ctx, `Answered in ${result.message.replace(/^answered in /, '')}; the answer is the "answer" artifact.`) },
      );
    },
  };
}
