import { TaskState, type Task } from '@a2a-js/sdk';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { request, startRpcHost } from '../a2a/support';
import { tempDir } from '../support/temp-dir';
import { codeReply, contentText, startFakeLlm } from '../support/fake-llm';
import { appDir, connected, spawnWorker, token } from '../workers/remote-support';
import { answerOf, trajectoryOf } from './support';

describe('RLM on a remote worker', () => {
  it('runs on the worker that serves the codebase, with the worker\'s model settings, and streams its trajectory back', async () => {
    let roots = 0;
    const llm = await startFakeLlm((req) => {
      if (req.model === 'worker-sub') return { text: contentText(req.messages.at(-1)?.content).split('\n').at(-1)!.toUpperCase() };
      return [codeReply('print(context.length)'), codeReply('FINAL(llm_query("Shout:\\n" + context.trim()))')][Math.min(roots++, 1)]!;
    });
    onTestFinished(() => llm.close());
    // The host has no model and no codebase "far": only the worker can run this task.
    const { host, client } = await startRpcHost({ mcpPort: 0 });
    const dir = tempDir('codetether-rlm-remote-');
    const config = join(dir, 'worker-config.json');
    writeFileSync(config, JSON.stringify({ llmBaseUrl: llm.baseUrl, llmApiKey: 'worker-key', llmModel: 'worker-root', rlmSubModel: 'worker-sub' }));
    const far = appDir();
    writeFileSync(join(far, 'words.txt'), 'remote words\n');
    const worker = spawnWorker(['--server', new URL(host.urls.health).origin, '--token', token(host, ['worker']), '--codebase', `far=${far}`, '--config', config, '--data-dir', join(dir, 'data'), '--log-level', 'warn']);
    await connected(worker);
    expect(worker.stdout()).toMatch(/serving far with (.+, )?rlm\b/);

    const task = (await client.sendMessage(request('Shout the words.', { metadata: { agent: 'rlm', codebase: 'far' } }))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answerOf(task)).toBe('REMOTE WORDS');
    expect(trajectoryOf(task).map((r) => r.kind)).toEqual(['start', 'step', 'step', 'end']);
    expect(llm.authorizations.every((a) => a === 'Bearer worker-key')).toBe(true);
  }, 90_000);
});
