import { describe, expect, it } from 'vitest';
import { servedUrls, spawnCli } from '../support/cli-process';
import { tempDir } from '../support/temp-dir';
import { collect, openStream, rpc, type SseFrame } from './support';

/** `codetether serve` as a real process, with its JSON-RPC URL once it listens. */
async function serve(dataDir: string) {
  const host = spawnCli(['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn']);
  return { ...host, url: (await servedUrls(host)).a2a };
}

const words = Array.from({ length: 12 }, (_, i) => `w${i}`).join(' ');

describe('host crash mid-stream', () => {
  it('after SIGKILL and a restart on the same data dir, Last-Event-ID resumes with no gap and no duplicate', async () => {
    const dataDir = tempDir('codetether-crash-');
    const first = await serve(dataDir);
    const res = await openStream(first.url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'SendStreamingMessage',
      params: { message: { messageId: 'crash-1', role: 'ROLE_USER', parts: [{ text: words }], metadata: { delayMs: 100 } } },
    });
    const before = await collect(res, 5);
    const taskId = (JSON.parse(before[0]!.data).result.task as { id: string }).id;
    await first.stop('SIGKILL');

    const second = await serve(dataDir);
    const after = await collect(await openStream(second.url, { jsonrpc: '2.0', id: 2, method: 'SubscribeToTask', params: { id: taskId } }, { 'last-event-id': String(before.at(-1)!.id) }));

    const seqs = [...before, ...after].map((f: SseFrame) => f.id);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(JSON.parse(after.at(-1)!.data).result.statusUpdate.status.state).toBe('TASK_STATE_COMPLETED');
    const task = await rpc(second.url, { jsonrpc: '2.0', id: 3, method: 'GetTask', params: { id: taskId } });
    expect(task.body.result).toMatchObject({ status: { state: 'TASK_STATE_COMPLETED' } });
    // The requeued run started the reply over; the stored artifact is the whole reply once.
    const artifact = (task.body.result as { artifacts: { parts: { text: string }[] }[] }).artifacts[0]!;
    expect(artifact.parts.map((p) => p.text).join('')).toBe(words);
  }, 30_000);
});
