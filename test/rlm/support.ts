import { TaskState, type Task } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { trajectoryRecords, type RlmRecord } from '../../shared/rlm-trajectory';
import type { ConfigKey } from '../../main/base/config-schema';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { startRpcHost, type RpcHost } from '../a2a/support';
import { tempDir } from '../support/temp-dir';
import { contentText, startFakeLlm, type ChatRequest, type ErrorReply, type FakeLlm, type Reply } from '../support/fake-llm';

export const ROOT_MODEL = 'root-model';
export const SUB_MODEL = 'sub-model';

export interface RlmScript {
  /** The root model's replies in order; the last one repeats once they run out. */
  root: (Reply | ErrorReply | ((request: ChatRequest) => Reply | ErrorReply | Promise<Reply | ErrorReply>))[];
  /** The sub-model's answer to one prompt. */
  sub?: (prompt: string) => Reply | ErrorReply | Promise<Reply | ErrorReply>;
}

export interface RlmHost extends RpcHost {
  fake: FakeLlm;
  /** A registered codebase "docs" (an empty folder until a test writes files into it). */
  docsDir: string;
  /** Root-model requests so far. */
  rootRequests(): ChatRequest[];
  /** Sub-model prompts so far. */
  subPrompts(): string[];
}

/** The fake LLM playing root and sub-model from `script`, and a real host using it; both stopped after the test. */
export async function startRlmHost(script: RlmScript, flags: Partial<Record<ConfigKey, unknown>> = {}): Promise<RlmHost> {
  let roots = 0;
  const fake = await startFakeLlm(async (request) => {
    if (request.model === SUB_MODEL) return script.sub ? script.sub(contentText(request.messages.at(-1)?.content)) : { text: 'no sub-model in this test' };
    const next = script.root[Math.min(roots++, script.root.length - 1)]!;
    return typeof next === 'function' ? next(request) : next;
  });
  onTestFinished(() => fake.close());
  const rpc = await startRpcHost({ llmBaseUrl: fake.baseUrl, llmModel: ROOT_MODEL, rlmSubModel: SUB_MODEL, llmApiKey: 'sk-test', ...flags });
  const docsDir = join(tempDir('codetether-rlm-docs-'), 'docs');
  mkdirSync(docsDir);
  const registered = registerCodebase(createCodebaseRepository(rpc.host.db), { name: 'docs', path: docsDir, knownAgents: [], now: Date.now() });
  if (!registered.ok) throw new Error(registered.error);
  return {
    ...rpc,
    fake,
    docsDir,
    rootRequests: () => fake.requests.filter((r) => r.model === ROOT_MODEL),
    subPrompts: () => fake.requests.filter((r) => r.model === SUB_MODEL).map((r) => contentText(r.messages.at(-1)?.content)),
  };
}

export function writeDoc(host: RlmHost, name: string, text: string): void {
  writeFileSync(join(host.docsDir, name), text);
}

/** The trajectory records of a task's `trajectory` artifact. */
export function trajectoryOf(task: Task): RlmRecord[] {
  const artifact = task.artifacts.find((a) => a.artifactId === 'trajectory');
  return trajectoryRecords((artifact?.parts ?? []).map((p) => ({ data: p.content?.$case === 'data' ? p.content.value : undefined })));
}

export function answerOf(task: Task): string | undefined {
  const artifact = task.artifacts.find((a) => a.artifactId === 'answer');
  return artifact?.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
}

export function statusText(task: Task): string {
  return task.status?.message?.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('') ?? '';
}

/** Sends `question` to the rlm agent and waits for the task to end (SendMessage blocks). */
export async function ask(client: Client, question: string, metadata: Record<string, unknown>, parts: Record<string, unknown>[] = []): Promise<Task> {
  const { request } = await import('../a2a/support');
  const req = request(question, { metadata: { agent: 'rlm', ...metadata }, message: parts.length ? { parts: [{ text: question }, ...parts] } : {} });
  return (await client.sendMessage(req)) as Task;
}

/** Polls /healthz every `everyMs` until stopped; `worst()` is the slowest answer seen, in ms. */
export function watchHealth(origin: string, everyMs = 20) {
  let worst = 0;
  let count = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      const res = await fetch(`${origin}/healthz`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
      worst = Math.max(worst, performance.now() - t);
      count++;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { worst, count };
    },
  };
}

export { TaskState };
