import type { Message, Part, Task } from '@a2a-js/sdk';
import { z } from 'zod';
import type { RalphLimits } from '../../shared/ralph-api';
import { taskSetting } from '../tasks/task-setting';
import { limitsInput, MAX_PARALLEL, resolveLimits } from './limits';
import { validatePrd, type Outcome, type Prd } from './prd';

/** What a run's message carries besides the PRD: its metadata. */
export const runOptionsSchema = z.object({
  codebase: z.string({ error: 'metadata "codebase" is required: the registered codebase the run works on' }).min(1, 'metadata "codebase" is required: the registered codebase the run works on'),
  agent: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  maxParallel: z.number().int().min(1).max(MAX_PARALLEL).default(1),
  limits: limitsInput.default({}),
  continueBranch: z.boolean().default(false),
});

export interface RunInput {
  prd: Prd;
  codebase: string;
  agent?: string;
  model?: string;
  maxParallel: number;
  limits: RalphLimits;
  continueBranch: boolean;
}

function partJson(part: Part): unknown {
  const c = part.content;
  if (!c) return undefined;
  if (c.$case === 'data') return c.value && typeof c.value === 'object' && 'prd' in c.value ? (c.value as { prd: unknown }).prd : c.value;
  if (c.$case === 'raw') return c.value.toString('utf8');
  if (c.$case === 'text' && c.value.trim().startsWith('{')) return c.value;
  return undefined;
}

/** The PRD of a run's message: a data part (the PRD, or `{prd}`), a file part (prd.json), or JSON text. */
function prdOf(message: Message): unknown {
  const parts = message.parts;
  const preferred = parts.find((p) => p.content?.$case === 'data') ?? parts.find((p) => p.content?.$case === 'raw') ?? parts.find((p) => partJson(p) !== undefined);
  return preferred ? partJson(preferred) : undefined;
}

/**
 * The coding agent for the stories: metadata `storyAgent`, or a metadata `agent` other than
 * "ralph" (request metadata `agent: "ralph"` picks the run's own agent; the message's may name the stories').
 */
function storyAgent(task: Task, message: Message): unknown {
  const named = taskSetting(task, message, 'storyAgent');
  if (named !== undefined) return named;
  const first = task.history.find((m) => m.role === message.role) ?? message;
  return [task.metadata?.agent, first.metadata?.agent].find((a) => a !== undefined && a !== 'ralph');
}

/** The PRD and options of a run's first message, validated; every problem named. */
export function parseRunInput(task: Task, message: Message): Outcome<RunInput> {
  const raw = prdOf(message);
  const errors: string[] = [];
  const prd = raw === undefined ? undefined : validatePrd(raw);
  if (raw === undefined) errors.push('the message carries no PRD: send it as a data part, a prd.json file part, or JSON text');
  else if (!prd!.ok) errors.push(...prd!.errors);
  const setting = (key: string) => taskSetting(task, message, key) ?? undefined;
  const options = runOptionsSchema.safeParse({
    codebase: setting('codebase'),
    agent: storyAgent(task, message),
    model: setting('model'),
    maxParallel: setting('maxParallel'),
    limits: setting('limits'),
    continueBranch: setting('continueBranch'),
  });
  if (!options.success) errors.push(...options.error.issues.map((i) => `${i.path.length ? `metadata.${i.path.join('.')}` : 'metadata'}: ${i.message}`));
  if (errors.length || !prd?.ok || !options.success) return { ok: false, errors };
  const o = options.data;
  return {
    ok: true,
    value: { prd: prd.value, codebase: o.codebase, agent: o.agent, model: o.model, maxParallel: o.maxParallel, limits: resolveLimits(o.limits, prd.value.userStories.length), continueBranch: o.continueBranch },
  };
}
