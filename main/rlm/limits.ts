import { z } from 'zod';
import type { Config } from '../base/config-schema';
import type { RlmLimits } from '../../shared/rlm-trajectory';
import type { Outcome } from '../workers/workspace/codebases';

export type RlmConfig = Pick<
  Config,
  | 'rlmMaxIterations' | 'rlmMaxSubCalls' | 'rlmMaxSubCallsPerStep' | 'rlmOutputChars' | 'rlmPromptChars' | 'rlmStepTimeoutMs'
  | 'rlmTaskTimeoutMs' | 'rlmMemoryMb' | 'rlmStackKb' | 'rlmMaxDepth'
>;

const positive = z.number().int().min(1);

/** Message metadata `rlm`: a task may tighten the host's limits, never loosen them. */
const overridesSchema = z
  .object({
    maxIterations: positive,
    maxSubCalls: z.number().int().min(0),
    maxSubCallsPerStep: z.number().int().min(0),
    outputChars: z.number().int().min(100),
    stepTimeoutMs: z.number().int().min(100),
    taskTimeoutMs: z.number().int().min(100),
    maxDepth: positive,
  })
  .partial()
  .strict();

export function configLimits(config: RlmConfig): RlmLimits {
  return {
    maxIterations: config.rlmMaxIterations,
    maxSubCalls: config.rlmMaxSubCalls,
    maxSubCallsPerStep: config.rlmMaxSubCallsPerStep,
    outputChars: config.rlmOutputChars,
    promptChars: config.rlmPromptChars,
    stepTimeoutMs: config.rlmStepTimeoutMs,
    taskTimeoutMs: config.rlmTaskTimeoutMs,
    memoryMb: config.rlmMemoryMb,
    stackKb: config.rlmStackKb,
    maxDepth: config.rlmMaxDepth,
  };
}

/** The config's limits, each lowered where metadata `rlm` asks for less. */
export function limitsOf(config: RlmConfig, requested: unknown): Outcome<RlmLimits> {
  const base = configLimits(config);
  if (requested === undefined) return { ok: true, value: base };
  const parsed = overridesSchema.safeParse(requested);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `Metadata "rlm"${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}. It takes ${Object.keys(overridesSchema.shape).join(', ')} (whole numbers, each at most the host's own limit).` };
  }
  const limits = { ...base };
  for (const [key, value] of Object.entries(parsed.data) as [keyof typeof parsed.data, number][]) limits[key] = Math.min(limits[key], value);
  return { ok: true, value: limits };
}
