import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOutputLog } from '../../main/workers/raw-output/output-log';
import { startTestHost } from '../support/host';
import { userMessage } from '../support/task-core';
import { sseFrames } from '../support/sse-frames';
import { tempDir } from '../support/temp-dir';
import { fixtures } from './support';

function readAll(log: ReturnType<typeof createOutputLog>, taskId: string, from = 0) {
  let text = '';
  let start: number | undefined;
  for (let c = log.read(taskId, from, 7); c; c = log.read(taskId, c.end, 7)) {
    start ??= c.start;
    text += c.text;
  }
  return { start, text };
}

interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Reads an SSE response until an `end` event (or `until` says stop), then aborts it. */
async function readSse(url: string, headers: Record<string, string> = {}, until = (e: SseEvent) => e.event === 'end'): Promise<SseEvent[]> {
  const ctl = new AbortController();
  const res = await fetch(url, { headers, signal: ctl.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: SseEvent[] = [];
  for await (const frame of sseFrames(res)) {
    const e: SseEvent = { data: frame.data, ...(frame.id !== undefined && { id: String(frame.id) }), ...(frame.event !== undefined && { event: frame.event }) };
    events.push(e);
    if (until(e)) break;
  }
  ctl.abort();
  return events;
}

const textOf = (events: SseEvent[]) => events.filter((e) => !e.event).map((e) => JSON.parse(e.data) as string).join('');

describe('the raw output log', () => {
  it('replays from any offset, across segments and the in-memory tail, and holds back a cut character', () => {
    const dir = tempDir();
    const log = createOutputLog({ dir, capBytes: 1000, segmentBytes: 10, flushMs: 10_000 });
    log.append('t1', 'héllo \u001b[31mred\u001b[0m\r\n');
    log.append('t1', 'ünïcode');
    expect(readAll(log, 't1').text).toBe('héllo \u001b[31mred\u001b[0m\r\nünïcode');
    // 'é' is two bytes at 1..3: a read of two bytes stops before it rather than splitting it.
    expect(log.read('t1', 0, 2)).toEqual({ start: 0, end: 1, text: 'h' });
    expect(log.read('t1', 3, 4)?.text).toBe('llo ');
    log.end('t1');
    expect(readdirSync(join(dir, 't1')).length).toBeGreaterThan(0);
    // A fresh log (a restarted host) reads the same bytes from disk.
    const again = createOutputLog({ dir });
    expect(readAll(again, 't1').text).toBe('héllo \u001b[31mred\u001b[0m\r\nünïcode');
    expect(again.extent('t1')).toEqual({ start: 0, end: Buffer.byteLength('héllo \u001b[31mred\u001b[0m\r\nünïcode') });
    expect(again.extent('nothing')).toBeUndefined();
    expect(again.read('../t1', 0, 100)).toBeUndefined();
  });

  it('keeps a task under its cap by dropping the oldest segments; offsets stay the same', () => {
    const dir = tempDir();
    const log = createOutputLog({ dir, capBytes: 100, segmentBytes: 30 });
    let all = '';
    for (let i = 0; i < 50; i++) {
      const line = `line ${String(i).padStart(3, '0')}\n`;
      all += line;
      log.append('t', line);
    }
    log.end('t');
    const extent = log.extent('t')!;
    expect(extent.end).toBe(all.length);
    expect(extent.end - extent.start).toBeLessThanOrEqual(100 + 30);
    expect(extent.start).toBeGreaterThan(0);
    const { start, text } = readAll(log, 't');
    expect(start).toBe(extent.start);
    expect(text).toBe(all.slice(extent.start));
    // A reader behind the start gets the kept part; one ahead of it, exactly its tail.
    expect(log.read('t', 0, 1000)?.start).toBe(extent.start);
    expect(log.read('t', all.length - 9, 1000)?.text).toBe('line 049\n');
  });
});

describe('GET /api/tasks/{id}/output', () => {
  it('streams a pty run raw (escapes kept), replays from an offset or Last-Event-ID, and ends with the task', async () => {
    const dataDir = tempDir();
    const app = join(dataDir, 'app');
    mkdirSync(app);
    const { host, origin: base } = await startTestHost({
      dataDir,
      config: { shutdownGraceMs: 200, agents: { slow: { command: process.execPath, args: [join(fixtures, 'slow.js')] } } },
      monitorDir: join(dataDir, 'no-build'),
    });
    const added = await fetch(`${base}/api/codebases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'app', path: app }) });
    expect(added.status).toBe(201);

    const { task } = await host.tasks.send({ message: userMessage('stream 3', { metadata: { agent: 'slow', codebase: 'app' } }) });
    // Opened while the task runs: live output, then `end` once it completes.
    const live = await readSse(`${base}/api/tasks/${task.id}/output`);
    const text = textOf(live);
    expect(text).toContain('\u001b[36mtick 1\u001b[0m of 3\r\n');
    expect(text).toContain('tick 3');
    const last = live.at(-1)!;
    expect(last.event).toBe('end');
    expect(Number(last.id)).toBe(Buffer.byteLength(text));
    expect(readdirSync(join(dataDir, 'output', task.id)).length).toBeGreaterThan(0);

    const offset = Buffer.byteLength(text.slice(0, text.indexOf('tick 2')));
    expect(textOf(await readSse(`${base}/api/tasks/${task.id}/output?from=${offset}`))).toBe(text.slice(text.indexOf('tick 2')));
    expect(textOf(await readSse(`${base}/api/tasks/${task.id}/output?from=0`, { 'last-event-id': String(offset) }))).toBe(text.slice(text.indexOf('tick 2')));

    // A task that ran no pty (the echo agent) has no raw output: only `end`.
    const echo = await host.tasks.send({ message: userMessage('hi') });
    await host.tasks.settled(echo.task.id);
    expect(await readSse(`${base}/api/tasks/${echo.task.id}/output`)).toEqual([{ id: '0', event: 'end', data: '{}' }]);
    expect((await fetch(`${base}/api/tasks/nope/output`)).status).toBe(404);
    expect((await fetch(`${base}/api/tasks/${task.id}/output?from=-1`)).status).toBe(400);
  });
});
