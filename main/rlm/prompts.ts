import type { RlmLimits } from '../../shared/rlm-trajectory';

export interface MaterialShape {
  single: boolean;
  documents: number;
  chars: number;
  names: string[];
}

const n = (x: number) => x.toLocaleString('en-US');

export function systemPrompt(limits: RlmLimits): string {
  return `You answer a question about material far too large to read at once. The material is in a JavaScript
sandbox (QuickJS) as the variable \`context\`. You do not see it: you write code that looks at it, and you
see what the code prints.

Each reply of yours may hold one or more \`\`\`js code blocks; they run in order, in the same sandbox, and
top-level \`var\` variables and functions stay for later steps (a top-level \`let\`/\`const\` cannot be
declared twice, so prefer \`var\`). The sandbox has:
- \`context\`: the material (see below).
- \`print(...values)\` (and console.log): what you will see of a step; only the first ${n(limits.outputChars)} characters are shown.
- \`llm_query(prompt)\`: asks a language model, returns its answer as a string. It reads up to ${n(limits.promptChars)}
  characters per prompt: give it slices of the context with a precise instruction. It is synchronous; no await.
- \`llm_query_batched(prompts)\`: several prompts at once, answers in the same order; faster than a loop of llm_query.
- \`FINAL(answer)\`: ends the task with \`answer\` as the final answer. \`FINAL_VAR(name)\` does the same with a variable's value.
There is no network, file system, process or module loader.

Limits: ${limits.maxIterations} steps, ${limits.maxSubCalls} sub-calls in all and ${limits.maxSubCallsPerStep} per step,
${Math.round(limits.stepTimeoutMs / 1000)} s per step. Work in a few steps: look at the context's size and shape, split it,
use sub-calls on the pieces, combine their answers, then call FINAL with a complete answer.`;
}

export function firstUserMessage(question: string, shape: MaterialShape): string {
  const what = shape.single
    ? `\`context\` is one string of ${n(shape.chars)} characters (from ${shape.names[0] ?? 'the message'}).`
    : `\`context\` is an array of ${n(shape.documents)} documents, ${n(shape.chars)} characters in all; each is \`{ name, text }\`.` +
      ` The first names: ${shape.names.slice(0, 20).join(', ')}${shape.documents > 20 ? ', …' : ''}.`;
  return `${what}\n\nQuestion: ${question}\n\nWrite code to begin.`;
}

export interface StepFeedback {
  index: number;
  maxIterations: number;
  output: string;
  outputChars: number;
  outputLimit: number;
  error?: string;
  notes: string[];
  subCallsStep: number;
  subCallsTotal: number;
  maxSubCalls: number;
}

/** What the root model reads after a step: the output (cut), the error, the limits it met. */
export function feedback(f: StepFeedback): string {
  const lines = [
    f.outputChars > f.output.length
      ? `Output (the first ${n(f.output.length)} of ${n(f.outputChars)} characters):`
      : `Output (${n(f.outputChars)} characters):`,
    f.output || '(nothing printed)',
  ];
  if (f.error) lines.push('', `Error: ${f.error}`);
  for (const note of f.notes) lines.push('', note);
  lines.push(
    '',
    `Step ${f.index} of ${f.maxIterations}; sub-calls: ${f.subCallsStep} this step, ${f.subCallsTotal} of ${f.maxSubCalls} in all. Continue, or call FINAL(answer).`,
  );
  return lines.join('\n');
}
