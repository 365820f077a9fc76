import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { tempDir } from '../support/temp-dir';
import { connectClient, startMcpHost } from '../mcp/support';
import { codeReply, contentText, startFakeLlm } from '../support/fake-llm';

describe('MCP rlm_query', () => {
  it('answers over a codebase through the official MCP client, reporting each step as progress', async () => {
    let roots = 0;
    const fake = await startFakeLlm((request) => {
      if (request.model === 'sub') return { text: contentText(request.messages.at(-1)?.content).includes('TODO') ? 'yes' : 'no' };
      return [
        codeReply('print(context.map(function (d) { return d.name }).join(","))'),
        codeReply('var flagged = context.filter(function (d, i) { return llm_query_batched(["Does this file have a to-do marker?\\n" + d.text])[0] === "yes" }).map(function (d) { return d.name });'),
        codeReply('FINAL("Files with a TODO: " + flagged.join(", "))'),
      ][Math.min(roots++, 2)]!;
    });
    onTestFinished(() => fake.close());
    const mcp = await startMcpHost(['mcp'], { llmBaseUrl: fake.baseUrl, llmModel: 'root', rlmSubModel: 'sub' });
    const dir = join(tempDir('codetether-rlm-mcp-'), 'app');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src/a.ts'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'src/b.ts'), '// TODO: remove\nexport const b = 2;\n');
    writeFileSync(join(dir, 'README.md'), 'TODO but not matched by the glob\n');
    const registered = registerCodebase(createCodebaseRepository(mcp.host.db), { name: 'app', path: dir, knownAgents: [], now: Date.now() });
    expect(registered.ok).toBe(true);

    const { client } = await connectClient(mcp);
    const progress: { progress: number; message?: string }[] = [];
    const result = (await client.callTool({ name: 'rlm_query', arguments: { question: 'Which files have a TODO?', codebase: 'app', paths: ['src/**/*.ts'] } }, undefined, {
      onprogress: (p) => progress.push(p),
      timeout: 60_000,
      resetTimeoutOnProgress: true,
    })) as CallToolResult;

    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ state: 'completed', output: 'Files with a TODO: src/b.ts', timedOut: false });
    const messages = progress.map((p) => p.message ?? '');
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^working: step 1: 0 sub-calls/), expect.stringMatching(/^working: step 2: 2 sub-calls/)]));
    expect(messages.at(-1)).toMatch(/^completed/);
    expect(progress.map((p) => p.progress)).toEqual(progress.map((_, i) => i + 1));
  }, 60_000);

  it('reports an unknown codebase as a tool error the model can read, naming what to do', async () => {
    const fake = await startFakeLlm(() => codeReply('FINAL(1)'));
    onTestFinished(() => fake.close());
    const { client } = await connectClient(await startMcpHost(['mcp'], { llmBaseUrl: fake.baseUrl, llmModel: 'root' }));
    const result = (await client.callTool({ name: 'rlm_query', arguments: { question: 'Anything?', codebase: 'missing' } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toMatch(/Unknown codebase "missing"\. .*codetether codebase add/);
  }, 60_000);
});
