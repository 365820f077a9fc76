import type { CheckResultView } from '../../shared/ralph-api';
import type { Prd, Story } from './prd';
import { runCommand } from './run-command';

export interface CheckSpec {
  name: string;
  command: string;
  expectOutput?: string;
}

/** Every command that judges `story`: the PRD's quality checks, then the story's own verify commands. */
export function checksOf(prd: Prd, story: Story): CheckSpec[] {
  return [
    ...Object.entries(prd.qualityChecks).map(([name, command]) => ({ name, command })),
    ...story.verify.map((v, i) => ({ name: `verify ${i + 1}`, ...(typeof v === 'string' ? { command: v } : v) })),
  ];
}

/** A failing check, for the next attempt's prompt and the story's note. */
export function describeFailure(c: CheckResultView, maxChars = 4000): string {
  const why = c.note ?? (c.exitCode === null ? 'did not run' : `exited ${c.exitCode}`);
  const output = c.output.length > maxChars ? `…${c.output.slice(-maxChars)}` : c.output;
  return `Check "${c.name}" (\`${c.command}\`) failed: ${why}.${output.trim() ? `\nIts output:\n${output.trimEnd()}` : ''}`;
}

/**
 * Runs the checks one after another in `cwd`, each with its timeout; all of them run (the agent's
 * next attempt learns every failure at once) unless `signal` aborts. Passed: exit 0 and, when
 * asked, the expected text in the output.
 */
export async function runChecks(specs: readonly CheckSpec[], cwd: string, timeoutMs: number, signal: AbortSignal): Promise<CheckResultView[]> {
  const results: CheckResultView[] = [];
  for (const spec of specs) {
    if (signal.aborted) break;
    const r = await runCommand(spec.command, { cwd, timeoutMs, signal });
    let note = r.error;
    let passed = r.exitCode === 0 && !r.timedOut && r.error === null;
    if (passed && spec.expectOutput !== undefined && !r.output.includes(spec.expectOutput)) {
      passed = false;
      note = `exited 0, but its output does not contain "${spec.expectOutput}"`;
    }
    results.push({ name: spec.name, command: spec.command, exitCode: r.exitCode, passed, timedOut: r.timedOut, output: r.output, durationMs: r.durationMs, note });
  }
  return results;
}
