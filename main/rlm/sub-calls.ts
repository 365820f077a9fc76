import type { RlmLimits, RlmStopReason, RlmSubCall } from '../../shared/rlm-trajectory';
import { ModelError, type ModelClient } from './model-client';
import type { SubCallAnswer } from './sandbox/sandbox';

/** Characters of each prompt and answer the trajectory keeps. */
const PREVIEW = 400;

/** The run-wide sub-call count, shared with nested runs at depth 2 and more. */
export interface SubCallBudget {
  used: number;
}

/** A nested RLM run over one prompt (depth 2 and more). */
export type NestedRun = (prompt: string, signal: AbortSignal) => Promise<{ stop: RlmStopReason; answer?: string; message: string; steps: number; tokens: { prompt: number; completion: number } }>;

export interface StepSubCalls {
  /** The sandbox's sub-call host function for this step. */
  handle(prompts: string[], deadline: number): Promise<SubCallAnswer>;
  readonly records: RlmSubCall[];
  readonly count: number;
  /** Set when a call was refused for the per-step cap. */
  readonly stepCapHit: boolean;
  /** Set when a call was refused for the run's cap: the run stops after this step. */
  readonly runCapHit: boolean;
}

export interface SubCallDeps {
  client: ModelClient;
  model: string;
  limits: RlmLimits;
  concurrency: number;
  budget: SubCallBudget;
  signal: AbortSignal;
  /** Set when sub-calls are RLM runs of their own. */
  nested?: NestedRun;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

const preview = (text: string) => (text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text);

/** The sub-calls of one step: their caps, their model requests (or nested runs) and their records. */
export function stepSubCalls(deps: SubCallDeps): StepSubCalls {
  const records: RlmSubCall[] = [];
  let count = 0;
  let stepCapHit = false;
  let runCapHit = false;
  const { limits, budget } = deps;

  async function one(prompt: string, deadline: number): Promise<{ text?: string; error?: string }> {
    const index = ++budget.used;
    const started = Date.now();
    const record: RlmSubCall = { index, promptChars: prompt.length, prompt: preview(prompt), answerChars: 0, answer: '', ms: 0, tokens: { prompt: 0, completion: 0 } };
    records.push(record);
    // A sub-call ends with its step: the step's deadline is its deadline too.
    const signal = AbortSignal.any([deps.signal, AbortSignal.timeout(Math.max(1, deadline - Date.now()))]);
    try {
      let text: string;
      if (deps.nested) {
        const run = await deps.nested(prompt, signal);
        record.nested = { stop: run.stop, steps: run.steps };
        record.tokens = run.tokens;
        if (run.answer === undefined) throw new ModelError(`the nested run stopped (${run.stop}): ${run.message}`);
        text = run.answer;
      } else {
        const done = await deps.client.complete(deps.model, [{ role: 'user', content: prompt }], signal);
        record.tokens = done.tokens;
        text = done.text;
      }
      record.answerChars = text.length;
      record.answer = preview(text);
      return { text };
    } catch (err) {
      const message = err instanceof ModelError && err.aborted ? 'the step ended before the sub-call answered' : (err as Error).message;
      record.error = message;
      return { error: message };
    } finally {
      record.ms = Date.now() - started;
    }
  }

  return {
    records,
    get count() {
      return count;
    },
    get stepCapHit() {
      return stepCapHit;
    },
    get runCapHit() {
      return runCapHit;
    },
    async handle(prompts, deadline) {
      if (count + prompts.length > limits.maxSubCallsPerStep) {
        stepCapHit = true;
        return { ok: false, error: `sub-call limit of this step reached: ${limits.maxSubCallsPerStep} per step, ${count} made, ${prompts.length} asked (step_sub_calls). Batch fewer prompts, or go on in the next step.` };
      }
      if (budget.used + prompts.length > limits.maxSubCalls) {
        runCapHit = true;
        return { ok: false, error: `sub-call limit of the task reached: ${limits.maxSubCalls} in all, ${budget.used} made (max_sub_calls). The task stops after this step.` };
      }
      count += prompts.length;
      const results = await mapLimit(prompts, deps.concurrency, (p) => one(p, deadline));
      const failed = results.find((r) => r.error !== undefined);
      if (failed) return { ok: false, error: `llm_query failed: ${failed.error}` };
      return { ok: true, texts: results.map((r) => r.text!) };
    },
  };
}
