import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStream } from '../a2a/support';
import { startServeProcess } from '../support/serve-process';
import { sseFrames } from '../support/sse-frames';
import { tempDir } from '../support/temp-dir';
import { fixtures } from './support';

const MB = 1024 * 1024;
const OUTPUT_BYTES = 50 * MB;
/** The client leaves once it has this much and resumes (Last-Event-ID) this much later, with a backlog to catch up on... */
const LEAVE = { afterBytes: 5 * MB, ms: 1500 };
/** ...and later stops reading for a while, so the host has a stalled reader to hold back for. */
const STALL = { afterBytes: 25 * MB, ms: 1500 };
/**
 * The host runs with V8's old generation capped at this: below the output it streams plus its own
 * heap at rest (~30 MB), so a host that held the output whole (in a string, an event backlog,
 * an artifact being merged) would die of it. Uncapped, V8 lets garbage pile up to ~100 MB above
 * the start before collecting, which says little about what is live.
 */
const HOST_OLD_SPACE_MB = 64;
/** How far the host's resident memory may rise above where it was before the task (measured: ~55 MB). */
const MAX_RSS_GROWTH = 80 * MB;

/** What test/fixtures/agents/numbered.js prints for `bytes`, as its SHA-256 and length. */
function expectedOutput(bytes: number): { sha256: string; length: number } {
  const hash = createHash('sha256');
  const filler = 'abcdefghijklmnopqrstuvwxyz'.repeat(4);
  let length = 0;
  for (let i = 1; i <= Math.ceil(bytes / 100); i++) {
    const head = `line ${String(i).padStart(9, '0')} `;
    const line = head + filler.slice(0, 100 - head.length - 1) + '\n';
    hash.update(line);
    length += line.length;
  }
  return { sha256: hash.digest('hex'), length };
}

function kib(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

describe('big agent output', () => {
  it('50 MB from a command agent reaches an SSE client intact, with host memory bounded', async () => {
    const host = await startServeProcess(tempDir('codetether-big-'), {
      agents: { numbered: { command: process.execPath, args: [join(fixtures, 'numbered.js')] } },
      execArgv: [`--max-old-space-size=${HOST_OLD_SPACE_MB}`],
    });
    const { child, url } = host;
    const pid = child.pid!;

    const expected = expectedOutput(OUTPUT_BYTES);
    const rssBefore = kib(pid, 'VmRSS');
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, kib(pid, 'VmRSS'))), 50);

    const started = Date.now();
    const hash = createHash('sha256');
    let length = 0;
    let taskId = '';
    let lastId = 0;
    let state = '';
    let streams = 0;
    let left = false;
    let stalled = false;
    let res = await openStream(url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'SendStreamingMessage',
      params: { message: { messageId: 'big-1', role: 'ROLE_USER', parts: [{ text: `numbered ${OUTPUT_BYTES}` }], metadata: { agent: 'numbered', codebase: 'app' } } },
    });
    try {
      for (;;) {
        streams += 1;
        try {
          for await (const frame of sseFrames(res)) {
            lastId = frame.id ?? lastId;
            const result = (JSON.parse(frame.data) as { result: Record<string, Record<string, unknown>> }).result;
            if (result.task) taskId = result.task.id as string;
            const update = result.artifactUpdate as { artifact: { artifactId: string; parts: { text: string }[] } } | undefined;
            if (update?.artifact.artifactId === 'output') {
              for (const part of update.artifact.parts) {
                hash.update(part.text);
                length += part.text.length;
              }
            }
            const status = result.statusUpdate?.status as { state: string } | undefined;
            if (status) state = status.state;
            if (!left && length >= LEAVE.afterBytes) {
              left = true;
              break;
            }
            if (!stalled && length >= STALL.afterBytes) {
              stalled = true;
              await new Promise((r) => setTimeout(r, STALL.ms));
            }
          }
        } catch {
          // The host dropped this stream (its socket buffer overflowed): resume after the last event.
        }
        if (state === 'TASK_STATE_COMPLETED' || state === 'TASK_STATE_FAILED') break;
        if (streams === 1) await new Promise((r) => setTimeout(r, LEAVE.ms));
        res = await openStream(url, { jsonrpc: '2.0', id: 2, method: 'SubscribeToTask', params: { id: taskId } }, { 'last-event-id': String(lastId) });
      }
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - started) / 1000;
    const peak = Math.max(rssPeak, kib(pid, 'VmRSS'));
    console.log(
      `${OUTPUT_BYTES / MB} MB through the host: ${seconds.toFixed(1)} s (${(length / MB / seconds).toFixed(1)} MB/s), ${lastId} events, ${streams} stream(s); ` +
        `host RSS ${(rssBefore / MB).toFixed(0)} MB before, peak ${(peak / MB).toFixed(0)} MB (sampled every 50 ms), high-water ${(kib(pid, 'VmHWM') / MB).toFixed(0)} MB`,
    );

    expect(state).toBe('TASK_STATE_COMPLETED');
    expect(length).toBe(expected.length);
    expect(hash.digest('hex')).toBe(expected.sha256);
    // One resume, the client's own: the host never dropped it, neither catching up nor stalled.
    expect(streams).toBe(2);
    expect(peak - rssBefore).toBeLessThan(MAX_RSS_GROWTH);
  }, 120_000);
});
