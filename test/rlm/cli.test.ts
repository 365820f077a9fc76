import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { main } from '../../main/cli/main';
import { tempDir } from '../support/temp-dir';
import { codeReply, startFakeLlm } from '../support/fake-llm';
import { ROOT_MODEL, startRlmHost, SUB_MODEL, writeDoc } from './support';

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['rlm', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const script = {
  root: [codeReply('print(context.length)'), codeReply('FINAL("It says: " + llm_query("Summarize: " + context))')],
  sub: (prompt: string) => ({ text: prompt.replace('Summarize: ', '').trim().toUpperCase() }),
};

describe('codetether rlm', () => {
  it('asks the running host over A2A, prints the answer, and with --trajectory each step first', async () => {
    const host = await startRlmHost(script);
    writeDoc(host, 'note.txt', 'hello from the codebase\n');
    writeDoc(host, 'other.md', 'not selected');
    const { code, stdout, stderr } = await cli('What does the note say?', '--codebase', 'docs', '--paths', '*.txt', '--trajectory', '--url', host.origin);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.at(-1)).toBe('It says: HELLO FROM THE CODEBASE');
    expect(stdout).toContain('RLM: What does the note say?');
    expect(stdout).toMatch(/step 1 \([\d.]+ s\)\n {2}code:\n {4}print\(context.length\)\n {2}output \(2 characters\):\n {4}24\n/);
    expect(stdout).toMatch(/step 2 [\s\S]*sub-call 1 \(35 characters in, 23 out, \d+ ms\): HELLO FROM THE CODEBASE[\s\S]*-> final answer/);
    expect(stdout).toMatch(/end: final: answered in 2 steps/);
    // A task of the host, as the monitor shows it.
    const listed = host.host.tasks.list({ pageSize: 10, historyLength: 1 });
    expect(listed.tasks).toHaveLength(1);
    expect(host.host.tasks.get(listed.tasks[0]!.id).artifacts.map((a) => a.artifactId).sort()).toEqual(['answer', 'trajectory']);
  }, 60_000);

  it('runs in this process with --local (or when no host runs) on --file material, progress on stderr', async () => {
    const fake = await startFakeLlm((request) => {
      if (request.model === SUB_MODEL) return script.sub(JSON.stringify(request.messages.at(-1)?.content).slice(1, -1));
      return request.messages.length <= 2 ? script.root[0]! : script.root[1]!;
    });
    onTestFinished(() => fake.close());
    const dir = tempDir('codetether-rlm-cli-');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ llmBaseUrl: fake.baseUrl, llmModel: ROOT_MODEL, rlmSubModel: SUB_MODEL }));
    const file = join(dir, 'input.txt');
    writeFileSync(file, 'local words');
    const { code, stdout, stderr } = await cli('Summarize the file.', '--file', file, '--local', '--data-dir', dir);
    expect(code).toBe(0);
    expect(stdout).toBe('It says: LOCAL WORDS');
    expect(stderr).toBe('codetether rlm: step 1: 0 sub-calls\ncodetether rlm: step 2: 1 sub-calls');
  }, 60_000);

  it('says what is missing', async () => {
    const dir = tempDir('codetether-rlm-cli-');
    expect(await cli('--codebase', 'x', '--data-dir', dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/the question is required/) });
    expect(await cli('Why?', '--data-dir', dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/name the material: --codebase NAME/) });
    expect(await cli('Why?', '--file', join(dir, 'none.txt'), '--local', '--data-dir', dir)).toMatchObject({ code: 1, stderr: expect.stringMatching(/no model configured/) });
    expect(await cli('Why?', '--file', 'x', '--url', 'http://127.0.0.1:9', '--data-dir', dir)).toMatchObject({ code: 1, stderr: expect.stringMatching(/no host answers at http:\/\/127.0.0.1:9/) });
  }, 60_000);
});
