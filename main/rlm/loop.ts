import type { RlmEnd, RlmLimits, RlmRecord, RlmStep, RlmStepLimit, RlmStopReason, RlmTokens } from '../../shared/rlm-trajectory';
import { codeOf } from './code-blocks';
import type { Material } from './material';
import { ModelError, type ChatMessage, type ModelClient } from './model-client';
import { feedback, firstUserMessage, systemPrompt } from './prompts';
import { startSandbox, type RunResult, type Sandbox } from './sandbox/sandbox';
import { stepSubCalls, type SubCallBudget } from './sub-calls';

export interface RlmRunOptions {
  material: Material;
  limits: RlmLimits;
  client: ModelClient;
  models: { root: string; sub: string };
  /** Sub-calls of one llm_query_batched at once. */
  concurrency: number;
  /** Cancel: the sandbox is ended at once and model requests are aborted. */
  signal: AbortSignal;
  /** Each record as it happens: the start, every step, the end. */
  onRecord(record: RlmRecord): void;
  /** 1 for the root run; nested runs (sub-calls at depth >= 2) count up. */
  depth?: number;
  /** Sub-calls made so far, shared with nested runs. */
  budget?: SubCallBudget;
  /** When the whole task must end (nested runs inherit the root's). */
  deadline?: number;
}

export interface RlmResult {
  stop: RlmStopReason;
  answer?: string;
  message: string;
  steps: number;
  tokens: RlmTokens;
}

const add = (a: RlmTokens, b: RlmTokens): RlmTokens => ({ prompt: a.prompt + b.prompt, completion: a.completion + b.completion });
const zero = (): RlmTokens => ({ prompt: 0, completion: 0 });

const limitNotes: Record<RlmStepLimit, (l: RlmLimits) => string> = {
  step_timeout: (l) => `Limit: the step ran out of time (${l.stepTimeoutMs} ms per step) and was stopped.`,
  memory_limit: (l) => `Limit: the sandbox ran out of memory (${l.memoryMb} MB, the context included).`,
  stack_limit: (l) => `Limit: the JavaScript stack overflowed (${l.stackKb} KB); recurse less deeply.`,
  step_sub_calls: (l) => `Limit: at most ${l.maxSubCallsPerStep} sub-calls per step.`,
  output_cut: (l) => `Limit: only the first ${l.outputChars} characters of output are shown; print less, or summarize in code.`,
  sandbox_reset: () => 'The sandbox had to be ended and was started again with the context: variables from earlier steps are gone.',
};

class Stop extends Error {
  constructor(
    readonly reason: RlmStopReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One RLM run (Zhang and Khattab, 2025): the root model never reads the material; it writes code
 * that runs in the sandbox against `context`, reads the code's output (cut), and ends with FINAL.
 * Every limit ends a step or the run with its own reason, recorded in the trajectory.
 */
export async function runRlm(options: RlmRunOptions): Promise<RlmResult> {
  const { material, limits, client, models } = options;
  const depth = options.depth ?? 1;
  const budget = options.budget ?? { used: 0 };
  const started = Date.now();
  const deadline = Math.min(options.deadline ?? Number.POSITIVE_INFINITY, started + limits.taskTimeoutMs);
  const internal = new AbortController();
  let timedOut = false;
  let sandbox: Sandbox | undefined;
  const stopNow = () => {
    internal.abort();
    void sandbox?.dispose();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stopNow();
  }, Math.max(0, deadline - Date.now()));
  const onCancel = () => stopNow();
  if (options.signal.aborted) stopNow();
  options.signal.addEventListener('abort', onCancel, { once: true });

  let steps = 0;
  let tokens = zero();
  const checkAborted = () => {
    if (!internal.signal.aborted) return;
    if (timedOut) throw new Stop('task_timeout', `the task ran out of time (${limits.taskTimeoutMs} ms in all)`);
    throw new Stop('canceled', 'the task was canceled');
  };

  async function freshSandbox(): Promise<Sandbox> {
    const box = await startSandbox({
      caps: {
        memoryBytes: limits.memoryMb * 1024 * 1024,
        stackBytes: limits.stackKb * 1024,
        outputChars: limits.outputChars,
        promptChars: limits.promptChars,
        batchMax: Math.max(1, limits.maxSubCallsPerStep),
      },
      subCalls: (prompts, stepDeadline) => current.handle(prompts, stepDeadline),
    });
    sandbox = box;
    checkAborted();
    const loaded = await box.load(material.docs(), material.single);
    checkAborted();
    if (!loaded.ok) {
      const why = loaded.stop === 'memory_limit' ? `it does not fit in the sandbox's ${limits.memoryMb} MB (rlmMemoryMb)` : loaded.message;
      throw new Stop('material_too_large', `the material could not be loaded: ${why}`);
    }
    return box;
  }

  // The sub-calls of the step that runs now; replaced per step.
  let current = stepSubCalls({ client, model: models.sub, limits, concurrency: options.concurrency, budget, signal: internal.signal });
  const nested =
    depth < limits.maxDepth
      ? (prompt: string, signal: AbortSignal) =>
          runRlm({
            ...options,
            material: { question: 'Answer the prompt held in `context`.', single: true, documents: 1, size: prompt.length, names: ['prompt'], skipped: [], docs: async function* () {
              yield { name: 'prompt', pieces: async function* () { yield prompt; } };
            } },
            signal,
            depth: depth + 1,
            budget,
            deadline,
            onRecord: () => {},
          })
      : undefined;

  let result: RlmResult;
  // The step under way, recorded with what stopped it if the run ends inside it.
  let pending: RlmStep | undefined;
  let pendingStarted = 0;
  try {
    options.onRecord({
      kind: 'start',
      question: material.question,
      material: { documents: material.documents, chars: material.size, names: material.names.slice(0, 200), skipped: material.skipped.slice(0, 200) },
      model: models.root,
      subModel: models.sub,
      limits,
    });
    let box = await freshSandbox();
    const messages: ChatMessage[] = [
      { role: 'system', content: systemPrompt(limits) },
      { role: 'user', content: firstUserMessage(material.question, { single: material.single, documents: material.documents, chars: material.size, names: material.names }) },
    ];
    for (;;) {
      if (steps >= limits.maxIterations) throw new Stop('max_iterations', `no final answer after ${limits.maxIterations} steps`);
      const stepStarted = Date.now();
      steps++;
      let reply;
      try {
        reply = await client.complete(models.root, messages, internal.signal);
      } catch (err) {
        checkAborted();
        throw err;
      }
      const { code, skipped } = codeOf(reply.text);
      current = stepSubCalls({ client, model: models.sub, limits, concurrency: options.concurrency, budget, signal: internal.signal, nested });
      const step: RlmStep = {
        kind: 'step', index: steps, reply: reply.text, code, output: '', outputChars: 0, limits: [], subCalls: current.records,
        tokens: { root: reply.tokens, sub: zero() }, ms: 0, final: false,
      };
      pending = step;
      pendingStarted = stepStarted;
      let final: string | undefined;
      if (!code.trim()) {
        step.error = skipped.length
          ? `Only \`\`\`js blocks run; this reply had ${skipped.map((l) => `\`\`\`${l}`).join(', ')}. Write JavaScript.`
          : 'The reply had no ```js code block: write code to run, and call FINAL(answer) to finish.';
      } else {
        const run: RunResult = await box.run(code, Math.min(deadline, Date.now() + limits.stepTimeoutMs));
        checkAborted();
        if (run.lost) {
          step.error = run.message;
          step.limits.push(...(run.lost === 'step_timeout' ? (['step_timeout'] as const) : []), 'sandbox_reset');
          await box.dispose();
          box = await freshSandbox().catch((err: unknown) => {
            throw err instanceof Stop ? err : new Stop('sandbox_crashed', `the sandbox could not be started again: ${(err as Error).message}`);
          });
        } else {
          step.output = run.output;
          step.outputChars = run.outputChars;
          if (run.error) step.error = run.error;
          if (run.stop) step.limits.push(run.stop);
          if (run.outputChars > run.output.length) step.limits.push('output_cut');
          final = run.final;
        }
      }
      if (current.stepCapHit) step.limits.push('step_sub_calls');
      step.limits = [...new Set(step.limits)];
      step.tokens.sub = current.records.reduce((t, r) => add(t, r.tokens), zero());
      step.ms = Date.now() - stepStarted;
      step.final = final !== undefined;
      tokens = add(tokens, add(step.tokens.root, step.tokens.sub));
      pending = undefined;
      options.onRecord(step);
      if (final !== undefined) {
        result = { stop: 'final', answer: final, message: `answered in ${steps} step${steps === 1 ? '' : 's'}`, steps, tokens };
        break;
      }
      if (current.runCapHit) throw new Stop('max_sub_calls', `the task's ${limits.maxSubCalls} sub-calls were used up without a final answer`);
      messages.push(
        { role: 'assistant', content: reply.text },
        {
          role: 'user',
          content: feedback({
            index: steps, maxIterations: limits.maxIterations, output: step.output, outputChars: step.outputChars, outputLimit: limits.outputChars,
            error: step.error, notes: step.limits.map((l) => limitNotes[l](limits)), subCallsStep: current.count, subCallsTotal: budget.used, maxSubCalls: limits.maxSubCalls,
          }),
        },
      );
    }
  } catch (err) {
    if (err instanceof Stop) result = { stop: err.reason, message: err.message, steps, tokens };
    else if (internal.signal.aborted) result = timedOut ? { stop: 'task_timeout', message: `the task ran out of time (${limits.taskTimeoutMs} ms in all)`, steps, tokens } : { stop: 'canceled', message: 'the task was canceled', steps, tokens };
    else if (err instanceof ModelError) result = { stop: 'model_error', message: err.message, steps, tokens };
    else throw err;
    if (pending) {
      pending.error ??= result.message;
      pending.subCalls = current.records;
      pending.tokens.sub = current.records.reduce((t, r) => add(t, r.tokens), zero());
      pending.ms = Date.now() - pendingStarted;
      options.onRecord(pending);
    }
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onCancel);
    await sandbox?.dispose();
  }
  const end: RlmEnd = { kind: 'end', stop: result.stop, message: result.message, steps, subCalls: budget.used, tokens, ms: Date.now() - started };
  options.onRecord(end);
  return result;
}
