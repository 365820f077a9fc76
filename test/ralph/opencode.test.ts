import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { configSchema } from '../../main/base/config-schema';
import { startHost } from '../../main/host/host';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { contentText, startFakeLlm } from '../support/fake-llm';
import { hermeticEnv, isTitleRequest, opencodeInstalled } from '../support/opencode';
import { branchCommits, createRun, fileAt, makeRepo, prd, waitRun } from './support';

describe.skipIf(!opencodeInstalled)('Ralph with the real opencode against a fake OpenAI-compatible LLM', () => {
  it('implements a story through opencode\'s write tool in the run\'s worktree, proves it with the check and commits it', async () => {
    // Removed after the host stops (not in afterEach, which runs first): OpenCode writes its state there until then.
    const dir = mkdtempSync(join(tmpdir(), 'codetether-ralph-opencode-'));
    const repo = makeRepo(join(dir, 'repo'));
    const llm = await startFakeLlm((request) => {
      if (isTitleRequest(request)) return { text: 'Hello story' };
      if (request.messages.at(-1)!.role === 'tool') return { text: 'I created hello.txt.' };
      // OpenCode tells the model its working directory: the run's worktree, not the codebase.
      const cwd = /Working directory: (\S+)/.exec(contentText(request.messages[0]!.content))![1]!;
      return { toolCalls: [{ name: 'write', arguments: { filePath: join(cwd, 'hello.txt'), content: 'hello from opencode\n' } }] };
    });
    mkdirSync(join(dir, 'data'));
    const host = await startHost(
      configSchema.parse({
        dataDir: join(dir, 'data'), port: 0, mcpPort: 0, logLevel: 'silent', shutdownGraceMs: 500,
        llmBaseUrl: llm.baseUrl, llmApiKey: 'test-key', llmModel: 'fake-coder', agentEnv: { opencode: hermeticEnv(dir) },
      }),
      { monitorDir: join(dir, 'no-monitor') },
    );
    onTestFinished(async () => {
      await host.stop();
      await llm.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const added = registerCodebase(createCodebaseRepository(host.db), { name: 'app', path: repo, knownAgents: ['opencode'], now: Date.now() });
    if (!added.ok) throw new Error(added.error);
    const base = new URL(host.urls.health).origin;

    const run = await createRun(base, {
      agent: 'opencode',
      prd: prd([{ id: 'US-1', title: 'Say hello', description: 'Create hello.txt saying hello', verify: [{ command: 'cat hello.txt', expectOutput: 'hello from opencode' }] }], { qualityChecks: {} }),
    });
    const done = await waitRun(base, run.id, undefined, 120_000);
    expect(done.status).toBe('completed');
    expect(done.stories[0]!.attempts.map((a) => [a.outcome, a.taskState, a.changedFiles])).toEqual([['passed', 'completed', true]]);
    expect(branchCommits(repo, 'ralph/demo')).toEqual(['feat: [US-1] - Say hello']);
    expect(fileAt(repo, 'ralph/demo', 'hello.txt')).toBe('hello from opencode');
    // The story prompt reached the model.
    const asked = llm.requests.filter((r) => !isTitleRequest(r))[0]!;
    expect(JSON.stringify(asked.messages)).toContain('## Story US-1: Say hello');
  }, 150_000);
});
