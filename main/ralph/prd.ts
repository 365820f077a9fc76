import { z } from 'zod';
import { splitCommand } from './words';

const command = z.string().trim().min(1, 'a command may not be empty');

const verifySchema = z.union([
  command,
  z.object({
    command,
    /** Text the command's output must contain, besides exiting 0. */
    expectOutput: z.string().min(1).optional(),
  }).strict(),
]);

const storySchema = z.object({
  id: z.string().trim().min(1, 'a story needs an id').max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-" (it names a branch in parallel mode)'),
  title: z.string().trim().min(1, 'a story needs a title'),
  description: z.string().default(''),
  acceptanceCriteria: z.array(z.string()).default([]),
  priority: z.number().int().min(0).default(1),
  passes: z.boolean().optional(),
  dependsOn: z.array(z.string()).default([]),
  notes: z.string().optional(),
  verify: z.array(verifySchema).default([]),
}).passthrough();

// A branch name git accepts for a new branch: no spaces, "..", "~^:?*[\", leading "-" or trailing "/" or ".lock".
const branchName = z
  .string({ error: 'branchName is required: the branch the run works on' })
  .trim()
  .min(1, 'branchName is required: the branch the run works on')
  .max(200)
  .refine((b) => !/[\s~^:?*[\\]|\.\.|@\{|\/\/|^[-/]|[/.]$|\.lock$/.test(b), 'branchName is not a name git accepts for a branch');

export const prdSchema = z.object({
  project: z.string().trim().min(1, 'project is required'),
  branchName,
  description: z.string().default(''),
  userStories: z.array(storySchema, { error: 'userStories must be a list of stories' }).min(1, 'userStories is empty: a PRD needs at least one story'),
  /** Named commands run for every story, e.g. {"typecheck": "npm run typecheck", "test": "npm test"}. */
  qualityChecks: z.record(z.string().min(1), command).default({}),
}).passthrough();

export type Prd = z.infer<typeof prdSchema>;
export type Story = z.infer<typeof storySchema>;
export type Verify = z.infer<typeof verifySchema>;

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function zodErrors(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const where = i.path.length ? i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : 'prd';
    return `${where}: ${i.message}`;
  });
}

/** A dependency cycle as "A -> B -> A", or undefined. */
function findCycle(stories: readonly Story[]): string | undefined {
  const deps = new Map(stories.map((s) => [s.id, s.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id].join(' -> ');
    state.set(id, 'visiting');
    path.push(id);
    for (const d of deps.get(id) ?? []) {
      const found = visit(d);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const s of stories) {
    const found = visit(s.id);
    if (found) return found;
  }
  return undefined;
}

function commandErrors(where: string, text: string): string[] {
  const split = splitCommand(text);
  return split.ok ? [] : [`${where}: ${split.error}`];
}

/**
 * Parses and checks a PRD: the common prd.json format plus `qualityChecks` and per-story
 * `verify`. Every problem is reported at once, each naming where it is.
 */
export function validatePrd(input: unknown): Outcome<Prd> {
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch (err) {
      return { ok: false, errors: [`prd is not valid JSON: ${(err as Error).message}`] };
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: ['prd must be a JSON object'] };
  const parsed = prdSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error) };
  const prd = parsed.data;
  const errors: string[] = [];
  const ids = new Set<string>();
  for (const s of prd.userStories) {
    if (ids.has(s.id)) errors.push(`userStories: duplicate story id "${s.id}"`);
    ids.add(s.id);
  }
  prd.userStories.forEach((s, i) => {
    for (const d of s.dependsOn) {
      if (d === s.id) errors.push(`userStories[${i}].dependsOn: story "${s.id}" depends on itself`);
      else if (!ids.has(d)) errors.push(`userStories[${i}].dependsOn: unknown story "${d}" (stories: ${[...ids].join(', ')})`);
    }
    s.verify.forEach((v, j) => errors.push(...commandErrors(`userStories[${i}].verify[${j}]`, typeof v === 'string' ? v : v.command)));
  });
  for (const [name, cmd] of Object.entries(prd.qualityChecks)) errors.push(...commandErrors(`qualityChecks.${name}`, cmd));
  if (errors.length === 0) {
    const cycle = findCycle(prd.userStories);
    if (cycle) errors.push(`userStories: dependency cycle ${cycle}`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: prd };
}
