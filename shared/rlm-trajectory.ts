// The RLM agent's trajectory: what its `trajectory` artifact holds, one data part per record
// (a start, one per step, an end), so the monitor, the CLI and MCP clients read the same shape.

export interface RlmTokens {
  prompt: number;
  completion: number;
}

/** Why a run ended; each limit has its own. */
export type RlmStopReason =
  | 'final'
  | 'max_iterations'
  | 'max_sub_calls'
  | 'task_timeout'
  | 'canceled'
  | 'model_error'
  | 'sandbox_crashed'
  | 'material_too_large';

/** A limit one step ran into; the run goes on after each. */
export type RlmStepLimit = 'step_timeout' | 'memory_limit' | 'stack_limit' | 'step_sub_calls' | 'output_cut' | 'sandbox_reset';

export interface RlmLimits {
  maxIterations: number;
  maxSubCalls: number;
  maxSubCallsPerStep: number;
  outputChars: number;
  promptChars: number;
  stepTimeoutMs: number;
  taskTimeoutMs: number;
  memoryMb: number;
  stackKb: number;
  maxDepth: number;
}

export interface RlmSubCall {
  /** 1-based, across the whole run. */
  index: number;
  promptChars: number;
  /** The prompt's start, for reading; the whole prompt is not kept. */
  prompt: string;
  answerChars: number;
  answer: string;
  ms: number;
  tokens: RlmTokens;
  error?: string;
  /** At depth 2 and more, the sub-call was an RLM run of its own: how it ended and its steps. */
  nested?: { stop: RlmStopReason; steps: number };
}

export interface RlmStart {
  kind: 'start';
  question: string;
  material: { documents: number; chars: number; names: string[]; skipped: string[] };
  model: string;
  subModel: string;
  limits: RlmLimits;
}

export interface RlmStep {
  kind: 'step';
  /** 1-based. */
  index: number;
  /** The root model's whole reply (its reasoning and code). */
  reply: string;
  /** The code that ran: the reply's code blocks, joined. Empty when the reply had none. */
  code: string;
  /** Printed output as the root model saw it (cut to the output limit). */
  output: string;
  /** Characters the code printed in all. */
  outputChars: number;
  error?: string;
  limits: RlmStepLimit[];
  subCalls: RlmSubCall[];
  tokens: { root: RlmTokens; sub: RlmTokens };
  ms: number;
  final: boolean;
}

export interface RlmEnd {
  kind: 'end';
  stop: RlmStopReason;
  message: string;
  steps: number;
  subCalls: number;
  tokens: RlmTokens;
  ms: number;
}

export type RlmRecord = RlmStart | RlmStep | RlmEnd;

export const RLM_ANSWER_ARTIFACT = 'answer';
export const RLM_TRAJECTORY_ARTIFACT = 'trajectory';

/** The records of a trajectory artifact's data parts, skipping anything else. */
export function trajectoryRecords(parts: readonly { data?: unknown }[]): RlmRecord[] {
  return parts.flatMap((p) => {
    const d = p.data as { kind?: unknown } | undefined;
    return d && (d.kind === 'start' || d.kind === 'step' || d.kind === 'end') ? [d as RlmRecord] : [];
  });
}
