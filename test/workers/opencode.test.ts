import { SendMessageRequest, TaskState, type StreamResponse } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions } from '@a2a-js/sdk/client';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { findExecutable } from '../../main/workers/adapters/find-executable';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { startTestHost } from '../support/host';
import { tempDir } from '../support/temp-dir';
import { startFakeLlm, type ChatRequest, type Reply } from '../support/fake-llm';
import { agentSessionId, finalState, hermeticEnv, isTitleRequest, opencodeInstalled, outputText, progressTexts, statusText, userTexts } from '../support/opencode';

// npm test puts node_modules/.bin on PATH; a user's host has no such PATH. Without it, the host
// must still find the opencode this installation bundles (its node_modules/.bin, first).
const userPath = (process.env.PATH ?? '').split(delimiter).filter((dir) => !dir.includes('node_modules')).join(delimiter);
beforeAll(() => {
  process.env.PATH = userPath;
  expect(findExecutable('opencode', userPath)).toBeUndefined();
});

async function setup(script: (request: ChatRequest, repo: string) => Reply, llmConfig: Record<string, unknown> = {}) {
  const dir = tempDir('codetether-opencode-');
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', repo]);
  const path = realpathSync(repo);
  const llm = await startFakeLlm((request) => script(request, path));
  const { host } = await startTestHost({
    dataDir: join(dir, 'data'),
    config: { shutdownGraceMs: 500, llmBaseUrl: llm.baseUrl, llmApiKey: 'test-key', llmModel: 'fake-coder', agentEnv: { opencode: hermeticEnv(dir) }, ...llmConfig },
  });
  const added = registerCodebase(createCodebaseRepository(host.db), { name: 'repo', path: repo, knownAgents: ['opencode'], now: Date.now() });
  if (!added.ok) throw new Error(added.error);
  const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { preferredTransports: ['JSONRPC'] }));
  const client = await factory.createFromUrl(new URL(host.urls.health).origin);
  return { host, llm, client, repo: path };
}

function send(text: string, contextId?: string): SendMessageRequest {
  return SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }], contextId, metadata: { agent: 'opencode', codebase: 'repo' } },
  });
}

// Cold start of the real binary is ~3 s on 2 shared cores; a tool round trip adds another LLM call.
describe.skipIf(!opencodeInstalled)('the real opencode binary in a pty, against a fake OpenAI-compatible LLM', () => {
  it('writes a file in the codebase through a tool call, streams its reply, and continues its session in the next task of the context', async () => {
    const prompt = 'Create  hello.txt\nwith a "greeting" -x';
    const { llm, client, repo, host } = await setup((request, repoPath) => {
      if (isTitleRequest(request)) return { text: 'Greeting file' };
      const last = request.messages.at(-1)!;
      if (last.role === 'tool') return { text: 'I wrote hello.txt for you.' };
      const users = userTexts(request);
      if (users.length === 1) return { toolCalls: [{ name: 'write', arguments: { filePath: join(repoPath, 'hello.txt'), content: 'hello from opencode\n' } }] };
      return { text: `Earlier you said: ${users[0]}` };
    });

    const started = Date.now();
    const first: StreamResponse[] = [];
    for await (const e of client.sendMessageStream(send(prompt))) first.push(e);
    const firstMs = Date.now() - started;
    expect(first[0]?.payload?.$case).toBe('task');
    expect(finalState(first)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(statusText(first)).toBe('I wrote hello.txt for you.');
    expect(outputText(first)).toBe('I wrote hello.txt for you.\n');
    // The tool call showed as progress while it ran.
    expect(progressTexts(first).some((t) => t.startsWith('write: '))).toBe(true);
    expect(readFileSync(join(repo, 'hello.txt'), 'utf8')).toBe('hello from opencode\n');

    // The prompt reached the model verbatim: double spaces, newline, quotes and a dash word intact.
    const agentRequests = llm.requests.filter((r) => !isTitleRequest(r));
    expect(userTexts(agentRequests[0]!)).toEqual([prompt]);
    expect(agentRequests[0]!.model).toBe('fake-coder');
    expect(llm.authorizations.every((a) => a === 'Bearer test-key')).toBe(true);
    // OpenCode's project is the codebase (it reads $PWD), so the write was not rejected as external.
    expect(JSON.stringify(agentRequests[0]!.messages[0])).toContain(repo);

    const task = first[0]!.payload?.$case === 'task' ? first[0]!.payload.value : undefined;
    const session = agentSessionId(first);
    expect(session).toMatch(/^ses_/);

    // A second message in the same context is a new task that continues the same OpenCode session.
    const before = llm.requests.length;
    const second: StreamResponse[] = [];
    for await (const e of client.sendMessageStream(send('What did I ask first?', task!.contextId))) second.push(e);
    expect(finalState(second)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(statusText(second)).toBe(`Earlier you said: ${prompt}`);
    const continued = llm.requests.slice(before).filter((r) => !isTitleRequest(r));
    expect(userTexts(continued[0]!)).toEqual([prompt, 'What did I ask first?']);
    // The tool call and its result are part of the history OpenCode sent back: the same session.
    expect(continued[0]!.messages.some((m) => m.role === 'tool')).toBe(true);
    expect(agentSessionId(second)).toBe(session);
    const secondTask = second[0]!.payload?.$case === 'task' ? second[0]!.payload.value : undefined;
    expect(secondTask!.id).not.toBe(task!.id);
    expect(host.tasks.get(secondTask!.id).contextId).toBe(task!.contextId);
    console.log(`opencode: first task (tool call + reply) ${firstMs} ms`);
  }, 90_000);

  it('fails the task with the LLM error instead of hanging', async () => {
    const { client } = await setup((request) => {
      if (isTitleRequest(request)) return { text: 'title' };
      throw new Error('model fake-coder does not exist');
    });
    const events: StreamResponse[] = [];
    for await (const e of client.sendMessageStream(send('hi'))) events.push(e);
    expect(finalState(events)).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(events)).toContain('model fake-coder does not exist');
  }, 90_000);

  it('fails at once, naming the settings, when no LLM is configured', async () => {
    const { client, llm } = await setup(() => ({ text: 'unused' }), { llmBaseUrl: undefined, llmModel: undefined, llmApiKey: undefined });
    const started = Date.now();
    const events: StreamResponse[] = [];
    for await (const e of client.sendMessageStream(send('hi'))) events.push(e);
    expect(finalState(events)).toBe(TaskState.TASK_STATE_FAILED);
    expect(statusText(events)).toContain('Agent "opencode" has no LLM to talk to. Set "llmBaseUrl" and "llmModel"');
    expect(statusText(events)).toContain('CODETETHER_LLM_BASE_URL');
    // At once, not after OpenCode's ~70 s of retries: bounded loosely, as the test machine may be busy.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(llm.requests).toHaveLength(0);
  });
});
