import { z } from 'zod';
import type { RalphLimits } from '../../shared/ralph-api';

/** No run may start more story attempts than this, whatever it asks for. */
export const HARD_MAX_ITERATIONS = 500;
export const MAX_PARALLEL = 8;

export const limitsInput = z
  .object({
    maxAttemptsPerStory: z.number().int().min(1).max(20),
    maxIterations: z.number().int().min(1).max(HARD_MAX_ITERATIONS),
    maxNoProgress: z.number().int().min(1).max(20),
    storyTimeoutSeconds: z.number().int().min(1).max(7 * 86_400),
    runTimeoutSeconds: z.number().int().min(1).max(30 * 86_400),
    checkTimeoutSeconds: z.number().int().min(1).max(86_400),
    maxTokens: z.number().int().min(1).nullable(),
  })
  .partial()
  .strict();

export type LimitsInput = z.infer<typeof limitsInput>;

/** The limits of a run of `stories` stories: what it asked for over the defaults. */
export function resolveLimits(input: LimitsInput, stories: number): RalphLimits {
  return {
    maxAttemptsPerStory: input.maxAttemptsPerStory ?? 3,
    maxIterations: input.maxIterations ?? Math.min(10 * stories, HARD_MAX_ITERATIONS),
    maxNoProgress: input.maxNoProgress ?? 2,
    storyTimeoutSeconds: input.storyTimeoutSeconds ?? 3600,
    runTimeoutSeconds: input.runTimeoutSeconds ?? 12 * 3600,
    checkTimeoutSeconds: input.checkTimeoutSeconds ?? 600,
    maxTokens: input.maxTokens ?? null,
  };
}
