import { describe, expect, it } from 'vitest';
import type { RlmStep } from '../../shared/rlm-trajectory';
import { codeReply } from '../support/fake-llm';
import { answerOf, ask, startRlmHost, statusText, TaskState, trajectoryOf, watchHealth, writeDoc } from './support';

/** Each attempt runs as one step; none may reach the host, and each must leave the run going. */
const attempts: [string, string, RegExp][] = [
  ['process', 'print(process.pid)', /ReferenceError: 'process' is not defined/],
  ['require', 'require("fs").readFileSync("/etc/passwd", "utf8")', /ReferenceError: 'require' is not defined/],
  ['import()', 'import("fs").then((fs) => print(fs.readFileSync("/etc/passwd", "utf8")))', /could not load module 'fs'/],
  ['static import', 'import * as std from "std"; print(std.getenv("HOME"))', /could not load module 'std'/],
  ['Function constructor', 'globalThis.constructor.constructor("return process")().exit(1)', /ReferenceError: 'process' is not defined/],
  ['fetch', 'fetch("http://127.0.0.1:1/")', /ReferenceError: 'fetch' is not defined/],
  ['environment', 'print(process.env.OPENAI_API_KEY ?? std.getenv("LLM_API_KEY"))', /ReferenceError/],
  ['files', 'print(os.open("/etc/passwd"))', /ReferenceError: 'os' is not defined/],
];

describe('RLM sandbox escapes', () => {
  it('errors for process, require, import(), the Function constructor, fetch, env and files; stops a loop at the deadline and a huge allocation at the memory cap; /healthz stays fast', async () => {
    const host = await startRlmHost(
      {
        root: [
          ...attempts.map(([, code]) => codeReply(code)),
          codeReply('while (true) {}', 'Spin.'),
          codeReply('var hoard = []; while (true) hoard.push(new Array(1e6).fill(7));', 'Allocate.'),
          codeReply('hoard = null; print("still here", context.length, typeof globalThis.process, Object.keys(globalThis).join(","))'),
          codeReply('FINAL("escapes refused")'),
        ],
      },
      { rlmMemoryMb: 64, rlmStepTimeoutMs: 1000 },
    );
    writeDoc(host, 'notes.txt', 'nothing secret here\n');
    const health = watchHealth(host.origin);
    const task = await ask(host.client, 'Try to get out.', { codebase: 'docs' });
    const { worst, count } = await health.stop();

    expect(task.status?.state, statusText(task)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answerOf(task)).toBe('escapes refused');
    const steps = trajectoryOf(task).filter((r): r is RlmStep => r.kind === 'step');
    expect(steps).toHaveLength(attempts.length + 4);
    attempts.forEach(([what, , error], i) => {
      expect(steps[i]!.error, what).toMatch(error);
      expect(steps[i]!.output, what).toBe('');
    });
    const [loop, hoard, after] = steps.slice(attempts.length);
    expect(loop!.limits).toEqual(['step_timeout']);
    expect(loop!.error).toMatch(/interrupted/);
    expect(loop!.ms).toBeLessThan(3000);
    expect(hoard!.limits).toEqual(['memory_limit']);
    expect(hoard!.error).toMatch(/out of memory/);
    // Same sandbox, state kept: the context is still there, nothing of Node appeared.
    expect(after!.output).toBe('still here 20 undefined hoard');
    expect(after!.error).toBeUndefined();

    // The root model read each error as the next step's input.
    const fed = host.rootRequests().map((r) => JSON.stringify(r.messages.at(-1)?.content));
    expect(fed[1]).toMatch(/Error: ReferenceError: 'process' is not defined/);
    expect(fed[attempts.length + 1]).toMatch(/ran out of time/);
    expect(fed[attempts.length + 2]).toMatch(/ran out of memory \(64 MB/);

    expect(count).toBeGreaterThan(10);
    // A sandbox on the host's thread would hold /healthz for the whole 1 s step; the
    // 100 ms target itself is timed by the bench, not here on a loaded CI machine.
    expect(worst).toBeLessThan(500);
  }, 120_000);
});
