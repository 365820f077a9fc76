import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../main/base/log';
import { createPtyHost, type PtyExit, type PtyHost, type PtyHostOptions } from '../../main/workers/pty-host/client';
import { tempDir } from '../support/temp-dir';
import { agentEnv, fixtures } from './support';
import { alive } from '../support/processes';
import { waitFor } from '../support/wait';

const hosts: PtyHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

function ptyHost(settings?: PtyHostOptions['settings']): PtyHost {
  const h = createPtyHost({ log: createLogger('silent'), settings });
  hosts.push(h);
  return h;
}

interface Run {
  batches: { data: string; seq: number }[];
  exit: Promise<PtyExit>;
  text(): string;
}

function run(host: PtyHost, script: string, args: string[], cwd: string, ackEach = true): Run & { proc: ReturnType<PtyHost['spawn']> } {
  const batches: { data: string; seq: number }[] = [];
  let done!: (e: PtyExit) => void;
  const exit = new Promise<PtyExit>((r) => (done = r));
  const proc = host.spawn(
    { file: process.execPath, args: [join(fixtures, script), ...args], cwd, env: agentEnv() },
    {
      onData(data, seq) {
        batches.push({ data, seq });
        if (ackEach) proc.ack(seq);
      },
      onExit: done,
    },
  );
  return { proc, batches, exit, text: () => batches.map((b) => b.data).join('') };
}

describe('pty host', () => {
  it('delivers every line of a fast writer that exits at once, in batches, before the exit', async () => {
    const host = ptyHost();
    const n = 20_000;
    const r = run(host, 'lines.js', [String(n)], tempDir());
    const exit = await r.exit;
    expect(exit).toEqual({ exitCode: 0, signal: null, error: undefined });
    const lines = r.text().split('\r\n').filter(Boolean);
    expect(lines.length).toBe(n);
    expect(lines[0]).toBe('line 1');
    expect(lines.at(-1)).toBe(`line ${n}`);
    expect(lines.every((l, i) => l === `line ${i + 1}`)).toBe(true);
    expect(r.batches.length).toBeLessThan(n / 10);
    expect(r.batches.map((b) => b.seq)).toEqual(r.batches.map((_, i) => i + 1));
  });

  it('pauses a flooding pty while acks lag, keeping unacked output bounded, and loses nothing', async () => {
    const settings = { batchBytes: 16 * 1024, highWaterBytes: 128 * 1024, lowWaterBytes: 32 * 1024 };
    const host = ptyHost(settings);
    const total = 8 * 1024 * 1024;
    const r = run(host, 'flood.js', [String(total)], tempDir(), false);
    const received = () => r.batches.reduce((n, b) => n + b.data.length, 0);

    // Nobody acks: the host must stop reading, so the writer blocks and output stops growing.
    await waitFor(() => received() > settings.highWaterBytes, 10_000);
    await new Promise((res) => setTimeout(res, 300));
    const stalled = received();
    await new Promise((res) => setTimeout(res, 300));
    expect(received()).toBe(stalled);
    // What the host sent beyond the last ack: the high-water mark plus at most one read from the pty.
    expect(stalled).toBeLessThanOrEqual(settings.highWaterBytes + 64 * 1024);

    // A slow consumer: acks everything it has, every 20 ms. Unacked output stays bounded throughout.
    let acked = 0;
    let maxUnacked = 0;
    let exited: PtyExit | undefined;
    void r.exit.then((e) => (exited = e));
    while (!exited) {
      const got = received();
      maxUnacked = Math.max(maxUnacked, got - acked);
      const last = r.batches.at(-1);
      if (last) r.proc.ack(last.seq);
      acked = got;
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(exited.exitCode).toBe(0);
    expect(maxUnacked).toBeLessThanOrEqual(settings.highWaterBytes + 64 * 1024);
    expect(received()).toBe(total);
    expect(/^x+$/.test(r.text())).toBe(true);
  });

  it('delivers the tail of a writer that exits while its pty is paused', async () => {
    const host = ptyHost({ batchBytes: 4 * 1024, highWaterBytes: 16 * 1024, lowWaterBytes: 4 * 1024 });
    // Nobody acks: the pty is paused after the first 24 KB, the writer adds a tail small enough to
    // fit the kernel's buffer and exits, and the host reads that tail anyway once the process is gone.
    const r = run(host, 'tail.js', [String(24 * 1024), '1024'], tempDir(), false);
    const exit = await r.exit;
    expect(exit.exitCode).toBe(0);
    expect(r.text()).toBe('a'.repeat(24 * 1024) + 'b'.repeat(1024));
  });

  it('kills the whole process group, escalating to SIGKILL when SIGTERM is ignored', async () => {
    const host = ptyHost();
    const r = run(host, 'tree.js', ['--ignore-term'], tempDir());
    await waitFor(() => /pids \d+ \d+/.test(r.text()), 10_000);
    const [, parent, child] = /pids (\d+) (\d+)/.exec(r.text())!.map(Number) as [number, number, number];
    expect(alive(parent) && alive(child)).toBe(true);
    const started = Date.now();
    r.proc.kill('SIGTERM', 500);
    const exit = await r.exit;
    expect(await waitFor(() => !alive(parent) && !alive(child), 2000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(exit.signal).toBe(9);
  });

  it('fails running ptys with a clear reason when the pty host dies, and starts a new one on the next spawn', async () => {
    const host = ptyHost();
    const r = run(host, 'tree.js', [], tempDir());
    await waitFor(() => /pids/.test(r.text()), 10_000);
    const [, parent] = /pids (\d+) (\d+)/.exec(r.text())!.map(Number) as [number, number, number];
    process.kill(host.pid!, 'SIGKILL');
    const exit = await r.exit;
    expect(exit.error).toBe('The pty host process was killed by SIGKILL while the agent was running.');
    // The agent lost its pty master: the kernel hangs it up.
    expect(await waitFor(() => !alive(parent), 2000)).toBe(true);

    const again = run(host, 'lines.js', ['3'], tempDir());
    expect((await again.exit).exitCode).toBe(0);
    expect(again.text()).toBe('line 1\r\nline 2\r\nline 3\r\n');
  });
});
