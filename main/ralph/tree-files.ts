import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Prd } from './prd';

/** prd.json as the run keeps it in its tree: the PRD with `passes` of each story. */
export function writePrdFile(cwd: string, prd: Prd, passed: ReadonlySet<string>): void {
  const out = { ...prd, userStories: prd.userStories.map((s) => ({ ...s, passes: passed.has(s.id) || s.passes === true })) };
  writeFileSync(join(cwd, 'prd.json'), JSON.stringify(out, null, 2) + '\n');
}

export function readProgress(cwd: string): string {
  const file = join(cwd, 'progress.txt');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Starts progress.txt for a run unless the branch has one already. */
export function startProgress(cwd: string, prd: Prd, runId: string, at: number): void {
  const file = join(cwd, 'progress.txt');
  const head = `## Ralph run ${runId} (${new Date(at).toISOString()}): ${prd.project}\n`;
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '# Progress\n';
  if (before.includes(head)) return;
  writeFileSync(file, `${before.replace(/\n*$/, '\n\n')}${head}`);
}

export function appendProgress(cwd: string, entry: string): void {
  const file = join(cwd, 'progress.txt');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '# Progress\n';
  writeFileSync(file, `${before.replace(/\n*$/, '\n\n')}${entry.trim()}\n`);
}
