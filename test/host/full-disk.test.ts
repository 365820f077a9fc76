import { TaskState } from '@a2a-js/sdk';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/base/config';
import { startHost, type Host } from '../../main/host/host';
import type { AgentExecutor } from '../../main/tasks/executor';
import { sseFrames } from '../support/sse-frames';

const CHUNK = 'x'.repeat(2 * 1024);

/**
 * Writes a 2 KiB output artifact every 30 ms for ~4 s, then completes: a task whose writes meet
 * the full disk. Separate artifacts, not appends: an append rewrites the growing row, and the
 * reruns must fit in what the test frees.
 */
const writerAgent: AgentExecutor = {
  name: 'writer',
  description: 'Writes output steadily.',
  skill: { id: 'writer', name: 'Writer', description: 'output', tags: ['test'] },
  async execute(ctx) {
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING });
    for (let i = 0; i < 130; i++) {
      await new Promise((r) => setTimeout(r, 30));
      if (ctx.signal.aborted) return;
      const text = { content: { $case: 'text' as const, value: CHUNK }, metadata: undefined, filename: '', mediaType: '' };
      ctx.update({ kind: 'artifact', artifact: { artifactId: `out-${i}`, name: 'out', description: '', parts: [text], metadata: undefined, extensions: [] } });
    }
    ctx.update({ kind: 'status', state: TaskState.TASK_STATE_COMPLETED });
  },
};

/** Fills the file system of `dir` to the last byte; returns the filler's path. */
function fill(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
  try {
    for (;;) writeSync(fd, block, 0, 512);
  } catch {
    // Full to the last block.
  } finally {
    closeSync(fd);
  }
  return file;
}

async function until<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const rpc = (method: string, id: number) => ({
  jsonrpc: '2.0', id, method,
  params: { message: { messageId: `m-${method}-${id}`, role: 'ROLE_USER', parts: [{ text: 'write' }], metadata: { agent: 'writer' } } },
});

describe('a full disk', () => {
  it('fails or retries the tasks it caught, tells their waiters, reports the store degraded, and recovers when space returns', async () => {
    const root = mkdtempSync(join(tmpdir(), 'codetether-fulldisk-'));
    const mnt = join(root, 'mnt');
    mkdirSync(mnt);
    // A real, small file system that fills: the data dir lives on it.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt]);
    let host: Host | undefined;
    try {
      const dataDir = join(mnt, 'data');
      host = await startHost(loadConfig({ flags: { dataDir, port: 0, mcpPort: 0, logLevel: 'silent', shutdownGraceMs: 200, maxAttempts: 3 }, env: {} }), { agents: [writerAgent] });
      const origin = new URL(host.urls.health).origin;
      const post = (body: unknown) => fetch(`${origin}/a2a`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

      // Two blocking sends and two streams, each on a task that writes steadily.
      const blocking = [post(rpc('SendMessage', 1)), post(rpc('SendMessage', 2))].map((p) => p.then((r) => r.json() as Promise<{ result?: unknown; error?: { code: number; message: string } }>));
      const streams = await Promise.all([post(rpc('SendStreamingMessage', 3)), post(rpc('SendStreamingMessage', 4))]);
      const streamEnds = streams.map(async (res) => {
        const frames = [];
        for await (const f of sseFrames(res)) frames.push(JSON.parse(f.data) as { result?: unknown; error?: { message: string } });
        return frames;
      });
      const working = () => host!.tasks.list({}).tasks.filter((t) => t.status?.state === TaskState.TASK_STATE_WORKING).length;
      await until(working, (n) => n === 4, 10_000, 'four tasks working');
      await new Promise((r) => setTimeout(r, 300));

      const filler = fill(mnt);
      // Every waiter hears of it: the blocking sends answer, the streams end with the error.
      const answers = await Promise.race([Promise.all(blocking), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('a blocking send still hangs')), 15_000))]);
      for (const a of answers) expect(a.error?.message ?? JSON.stringify(a.result)).toMatch(/disk is full|COMPLETED|FAILED/);
      const ended = await Promise.race([Promise.all(streamEnds), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('a stream stays open')), 15_000))]);
      for (const frames of ended) expect(frames.at(-1)?.error?.message ?? '').toMatch(/disk is full/);
      const health = (await (await fetch(`${origin}/healthz`)).json()) as { databaseError?: string };
      expect(health).toMatchObject({ status: 'degraded', database: 'degraded' });
      expect(health.databaseError).toMatch(/disk is full/);
      expect((await fetch(`${origin}/healthz`)).status).toBe(503);

      // Space returns: the writer recovers, and no task is left working without a run.
      const freed = Date.now();
      unlinkSync(filler);
      await until(async () => (await fetch(`${origin}/healthz`)).status, (s) => s === 200, 10_000, 'healthz 200');
      const states = await until(
        () => host!.tasks.list({}).tasks.map((t) => t.status?.state),
        (s) => s.length === 4 && s.every((x) => x === TaskState.TASK_STATE_COMPLETED || x === TaskState.TASK_STATE_FAILED),
        40_000,
        'every task ended',
      );
      console.log(`space freed -> every task ended in ${Date.now() - freed} ms; stuck tasks: ${states.filter((x) => x === TaskState.TASK_STATE_WORKING).length}`);
      // They were requeued (an attempt each), said in their event logs, and ran to the end.
      for (const t of host.tasks.list({}).tasks) {
        expect(t.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
        expect(host.tasks.eventsAfter(t.id, 0).some((e) => e.json.includes('could not save its progress'))).toBe(true);
      }
    } finally {
      await host?.stop();
      // Lazy: a file the failing test left open must not keep the mount (and hide the failure).
      execFileSync('umount', ['-l', mnt]);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
