import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile: its keyword, upper-cased, and the rest of the line with continuations joined. */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  /** The FROM line's image, with ARG defaults substituted. */
  image: string;
  name?: string;
  instructions: Instruction[];
}

/**
 * Parses the subset of Dockerfile syntax the project's Dockerfiles use: comments, line
 * continuations, global ARGs with defaults (substituted in FROM), FROM ... AS name.
 */
export function parseDockerfile(file: string): Stage[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i]!.trim();
    if (text === '' || text.startsWith('#')) continue;
    while (text.endsWith('\\')) {
      text = text.slice(0, -1);
      const next = lines[++i];
      if (next === undefined) throw new Error(`${file}:${start + 1}: a continuation runs past the end`);
      if (!next.trim().startsWith('#')) text += ' ' + next.trim();
    }
    const match = /^(\S+)\s*(.*)$/.exec(text)!;
    const instruction = { keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start + 1 };
    if (instruction.keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!from) throw new Error(`${file}:${instruction.line}: cannot read FROM ${instruction.args}`);
      const image = from[1]!.replace(/\$\{(\w+)\}/g, (_, name: string) => {
        const value = globalArgs.get(name);
        if (value === undefined) throw new Error(`${file}:${instruction.line}: ARG ${name} has no default`);
        return value;
      });
      stages.push({ image, name: from[2], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`${file}:${instruction.line}: ${instruction.keyword} before the first FROM`);
      const [name, value] = instruction.args.split('=', 2);
      if (value !== undefined) globalArgs.set(name!, value);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

/** The last instruction of `keyword` in a stage. */
export function last(stage: Stage, keyword: string): Instruction | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1);
}

/** An exec-form (JSON array) argument, such as ENTRYPOINT's or CMD's. */
export function execForm(instruction: Instruction): string[] {
  const parsed = JSON.parse(instruction.args) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new Error(`line ${instruction.line}: not an exec-form array`);
  return parsed;
}

/** ENV's key=value pairs (values may be double-quoted). */
export function envPairs(instruction: Instruction): [string, string][] {
  return [...instruction.args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((m) => [m[1]!, m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!]);
}

/** HEALTHCHECK's options and its CMD in shell form. */
export function healthcheck(instruction: Instruction): { options: Record<string, string>; command: string } {
  const match = /^((?:--\S+\s+)*)CMD\s+(.*)$/.exec(instruction.args);
  if (!match) throw new Error(`line ${instruction.line}: HEALTHCHECK without CMD`);
  const options = Object.fromEntries([...match[1]!.matchAll(/--([\w-]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  return { options, command: match[2]! };
}

/** COPY's flags, sources and destination. */
export function copyArgs(instruction: Instruction): { from?: string; chown?: string; sources: string[]; dest: string } {
  const words = instruction.args.split(/\s+/);
  const flags = new Map<string, string>();
  while (words[0]?.startsWith('--')) {
    const [k, v] = words.shift()!.slice(2).split('=', 2);
    flags.set(k!, v ?? '');
  }
  if (words.length < 2) throw new Error(`line ${instruction.line}: COPY needs a source and a destination`);
  return { from: flags.get('from'), chown: flags.get('chown'), sources: words.slice(0, -1), dest: words.at(-1)! };
}
