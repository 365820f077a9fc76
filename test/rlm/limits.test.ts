import { describe, expect, it } from 'vitest';
import type { RlmEnd, RlmStep } from '../../shared/rlm-trajectory';
import { codeReply, type ErrorReply, type Reply } from '../support/fake-llm';
import { answerOf, ask, startRlmHost, statusText, TaskState, trajectoryOf, writeDoc } from './support';

const stepsOf = (task: Parameters<typeof trajectoryOf>[0]) => trajectoryOf(task).filter((r): r is RlmStep => r.kind === 'step');
const endOf = (task: Parameters<typeof trajectoryOf>[0]) => trajectoryOf(task).at(-1) as RlmEnd;

describe('RLM limits, each with its own stop reason', () => {
  it('stops at the iteration limit with max_iterations', async () => {
    const host = await startRlmHost({ root: [codeReply('print("thinking")')] });
    const task = await ask(host.client, 'Never finish.', { rlm: { maxIterations: 3 } }, [{ text: 'some material' }]);
    expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(task)).toBe('RLM stopped (max_iterations): no final answer after 3 steps.');
    expect(stepsOf(task)).toHaveLength(3);
    expect(endOf(task)).toMatchObject({ stop: 'max_iterations', steps: 3 });
    expect(answerOf(task)).toBeUndefined();
  }, 60_000);

  it('stops when the sub-calls are used up with max_sub_calls; the failing call throws inside the code', async () => {
    const host = await startRlmHost({
      root: [codeReply('for (var i = 0; i < 10; i++) { try { llm_query("question " + i) } catch (e) { print("refused:", e.message); break } }')],
      sub: (prompt) => ({ text: `answer to ${prompt}` }),
    });
    const task = await ask(host.client, 'Ask a lot.', { rlm: { maxSubCalls: 4 } }, [{ text: 'material' }]);
    expect(statusText(task)).toMatch(/^RLM stopped \(max_sub_calls\)/);
    const [step] = stepsOf(task);
    expect(step!.subCalls.map((c) => c.answer)).toEqual(['answer to question 0', 'answer to question 1', 'answer to question 2', 'answer to question 3']);
    expect(step!.output).toMatch(/^refused: sub-call limit of the task reached: 4 in all/);
    expect(host.subPrompts()).toHaveLength(4);
    expect(endOf(task)).toMatchObject({ stop: 'max_sub_calls', subCalls: 4 });
  }, 60_000);

  it('refuses a batch over the per-step cap (step_sub_calls) and goes on', async () => {
    const host = await startRlmHost({
      root: [codeReply('try { llm_query_batched(["a", "b", "c"]) } catch (e) { print(e.message) }'), codeReply('FINAL(llm_query_batched(["a", "b"]).join("+"))')],
      sub: (prompt) => ({ text: prompt.toUpperCase() }),
    });
    const task = await ask(host.client, 'Batch.', { rlm: { maxSubCallsPerStep: 2 } }, [{ text: 'material' }]);
    expect(task.status?.state, statusText(task)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answerOf(task)).toBe('A+B');
    const [first, second] = stepsOf(task);
    expect(first!.limits).toEqual(['step_sub_calls']);
    expect(first!.output).toMatch(/sub-call limit of this step reached: 2 per step/);
    expect(second!.subCalls).toHaveLength(2);
  }, 60_000);

  it('stops a step at its deadline (step_timeout) and the whole task at its own (task_timeout)', async () => {
    const host = await startRlmHost({
      root: [codeReply('while (true) {}'), codeReply('print(llm_query("slow"))')],
      sub: () => new Promise((resolve) => setTimeout(() => resolve({ text: 'too late' }), 20_000)),
    });
    const started = Date.now();
    const task = await ask(host.client, 'Take forever.', { rlm: { stepTimeoutMs: 500, taskTimeoutMs: 6000 } }, [{ text: 'material' }]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(statusText(task)).toBe('RLM stopped (task_timeout): the task ran out of time (6000 ms in all).');
    const [loop, ...waits] = stepsOf(task);
    expect(loop!.limits).toEqual(['step_timeout']);
    expect(loop!.ms).toBeLessThan(2500);
    // Each later step waits on a sub-call the fake answers after 20 s; the last one may be the step the task's deadline cut.
    const waited = waits.find((w) => w.limits.includes('step_timeout'))!;
    expect(waited.error).toMatch(/the step deadline passed while waiting for llm_query/);
    expect(waited.subCalls[0]!.error).toBe('the step ended before the sub-call answered');
    expect(endOf(task).stop).toBe('task_timeout');
  }, 60_000);

  it('cuts printed output to the output limit and tells the root model', async () => {
    const host = await startRlmHost({ root: [codeReply('print("x".repeat(1000))'), codeReply('FINAL("ok")')] });
    const task = await ask(host.client, 'Print a lot.', { rlm: { outputChars: 100 } }, [{ text: 'material' }]);
    const [step] = stepsOf(task);
    expect(step).toMatchObject({ output: 'x'.repeat(100), outputChars: 1000, limits: ['output_cut'] });
    const fed = JSON.stringify(host.rootRequests()[1]!.messages.at(-1)!.content);
    expect(fed).toContain('Output (the first 100 of 1,000 characters)');
    expect(fed).toContain('only the first 100 characters of output are shown');
  }, 60_000);

  it('waits as a 429 says (retry-after-ms, then retry-after in seconds) and goes on', async () => {
    let calls = 0;
    const host = await startRlmHost({
      root: [
        (): Reply | ErrorReply => {
          calls++;
          if (calls === 1) return { status: 429, headers: { 'retry-after-ms': '400' }, message: 'slow down' };
          if (calls === 3) return { status: 429, headers: { 'retry-after': '1' }, message: 'slow down' };
          return calls === 2 ? codeReply('print(1)') : codeReply('FINAL("patient")');
        },
      ],
    });
    const task = await ask(host.client, 'Be patient.', {}, [{ text: 'material' }]);
    expect(answerOf(task), statusText(task)).toBe('patient');
    const at = host.fake.arrivals;
    expect(at).toHaveLength(4);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(390);
    expect(at[3]! - at[2]!).toBeGreaterThanOrEqual(990);
  }, 60_000);

  it('cancel ends the sandbox at once', async () => {
    const host = await startRlmHost({ root: [codeReply('while (true) {}')] });
    writeDoc(host, 'a.txt', 'text');
    const { request } = await import('../a2a/support');
    const sent = await host.client.sendMessage(request('Spin.', { metadata: { agent: 'rlm', codebase: 'docs' }, configuration: { returnImmediately: true } }));
    const id = (sent as { id: string }).id;
    await until(() => host.rootRequests().length === 1);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const canceled = await host.client.cancelTask({ id, tenant: '', metadata: undefined });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect(Date.now() - started).toBeLessThan(1000);
  }, 60_000);

  it('fails at once, saying what to set, without a model in the config; and names bad metadata', async () => {
    const host = await startRlmHost({ root: [codeReply('FINAL(1)')] }, { llmBaseUrl: undefined });
    const none = await ask(host.client, 'Anything?', {}, [{ text: 'material' }]);
    expect(statusText(none)).toMatch(/needs a model: set "llmBaseUrl"/);
  }, 60_000);

  it('refuses bad input with a message a person can act on', async () => {
    const host = await startRlmHost({ root: [codeReply('FINAL(1)')] });
    const cases: [Record<string, unknown>, Record<string, unknown>[], RegExp][] = [
      [{}, [], /No material to work on/],
      [{ codebase: 'docs', paths: ['../../etc/*'] }, [], /must stay inside the codebase/],
      [{ codebase: 'docs', paths: ['*.md'] }, [], /No text file of codebase "docs" matches "\*\.md"/],
      [{ rlm: { maxIterations: 'many' } }, [{ text: 'm' }], /Metadata "rlm".maxIterations/],
      [{ rlm: { loosen: 1 } }, [{ text: 'm' }], /Metadata "rlm"/],
      [{}, [{ url: 'https://example.com/x.txt', filename: 'x.txt' }], /fetches nothing/],
    ];
    for (const [metadata, parts, error] of cases) {
      const task = await ask(host.client, 'Q?', metadata, parts);
      expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
      expect(statusText(task)).toMatch(error);
    }
    await expect(ask(host.client, 'Q?', { codebase: 'nope' })).rejects.toThrow(/Unknown codebase "nope"\. Registered codebases: docs/);
    expect(host.rootRequests()).toHaveLength(0);
  }, 60_000);
});

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
