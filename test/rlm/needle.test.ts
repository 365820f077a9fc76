import { describe, expect, it } from 'vitest';
import type { RlmEnd, RlmStart, RlmStep } from '../../shared/rlm-trajectory';
import { codeReply } from '../support/fake-llm';
import { answerOf, ask, startRlmHost, statusText, TaskState, trajectoryOf, writeDoc } from './support';

const NEEDLE = 'The vault code is 4711-ALPHA.';

/** About 10 MB of numbered filler lines with the needle somewhere in the middle third. */
function haystack(): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 10 * 1024 * 1024; i++) {
    const line = `line ${i}: the quick brown fox jumps over the lazy dog while the archive hums quietly.`;
    lines.push(line);
    size += line.length + 1;
  }
  lines.splice(Math.floor(lines.length * 0.47), 0, NEEDLE);
  return lines.join('\n');
}

describe('RLM agent', () => {
  it('finds a needle in 10 MB by code that chunks the context and calls llm_query on each piece', async () => {
    const host = await startRlmHost(
      {
        root: [
          codeReply('print(typeof context, context.length); print(context.slice(0, 80));', 'First, the shape of the context.'),
          codeReply(
            [
              'var size = 500000;',
              'var prompts = [];',
              'for (var i = 0; i < context.length; i += size) prompts.push("Quote the line that gives a vault code, or say NONE.\\n\\n" + context.slice(i, i + size));',
              'var answers = llm_query_batched(prompts);',
              'var hits = answers.filter(function (a) { return a !== "NONE"; });',
              'print(prompts.length, "chunks;", hits.length, "hit:", hits.join(" | "));',
            ].join('\n'),
            'Split it and ask the sub-model about every piece.',
          ),
          codeReply('FINAL("Found it: " + hits[0])', 'Done.'),
        ],
        sub: (prompt) => ({ text: prompt.split('\n').find((l) => l.includes('vault code is')) ?? 'NONE' }),
      },
      { rlmPromptChars: 600_000 },
    );
    writeDoc(host, 'haystack.txt', haystack());
    const task = await ask(host.client, 'What is the vault code?', { codebase: 'docs', paths: ['*.txt'] });

    expect(task.status?.state, statusText(task)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answerOf(task)).toBe(`Found it: ${NEEDLE}`);
    const prompts = host.subPrompts();
    expect(prompts.length).toBe(21);
    expect(prompts.filter((p) => p.includes(NEEDLE))).toHaveLength(1);

    const records = trajectoryOf(task);
    expect(records.map((r) => r.kind)).toEqual(['start', 'step', 'step', 'step', 'end']);
    const [start, one, two, three, end] = records as [RlmStart, RlmStep, RlmStep, RlmStep, RlmEnd];
    expect(start.material).toMatchObject({ documents: 1, names: ['haystack.txt'] });
    expect(one.output).toMatch(/^string \d{8}\nline 0: the quick brown fox/);
    expect(two.code).toContain('llm_query_batched(prompts)');
    expect(two.subCalls).toHaveLength(21);
    expect(two.subCalls.filter((c) => c.answer === NEEDLE)).toHaveLength(1);
    expect(two.output).toBe(`21 chunks; 1 hit: ${NEEDLE}`);
    expect(three).toMatchObject({ final: true, limits: [] });
    expect(end).toMatchObject({ kind: 'end', stop: 'final', steps: 3, subCalls: 21 });

    // The root model never saw the material: only the first 80 characters it printed.
    const rootTexts = host.rootRequests().flatMap((r) => r.messages.map((m) => JSON.stringify(m.content)));
    expect(rootTexts.some((t) => t.includes(NEEDLE))).toBe(true);
    expect(Math.max(...rootTexts.map((t) => t.length))).toBeLessThan(20_000);
  }, 120_000);
});
