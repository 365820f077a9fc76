import { closeSync, constants, openSync } from 'node:fs';
import { spawn, type IPty } from 'node-pty';
import type { FromPtyHost, PtyHostSettings, SpawnRequest, ToPtyHost } from './protocol';

/**
 * The pty host: a child process that owns every node-pty of the host, so a flood of agent output
 * costs this process, not the HTTP server's event loop. One instance serves many ptys.
 *
 * Nothing is lost at exit, which node-pty alone does not ensure on Linux: when the last holder
 * of the pty's slave side closes it, the master polls as hung up, and libuv then reports EOF
 * after any short read without reading again, dropping what the kernel still buffers (pty reads
 * return at most 4095 bytes, so nearly every read is short). So the pty host holds the slave
 * open itself. The agent's exit then ends nothing; we notice the process is gone, read until
 * the output has been quiet for a moment (the drain window), and only then let go of the slave,
 * so the EOF comes after the last byte. The exit message follows node-pty's own exit event,
 * which it emits after its stream closed, so every batch is sent before it.
 */

interface Live {
  pty: IPty;
  /** Our own fd on the pty's slave side; -1 once released. */
  slave: number;
  pending: string[];
  pendingSize: number;
  timer: NodeJS.Timeout | undefined;
  seq: number;
  sent: number;
  acked: number;
  /** [seq, characters sent up to and including that batch], for batches not yet acked. */
  marks: [number, number][];
  paused: boolean;
  /** The process is gone: the rest is read regardless of acks, then the slave is released. */
  draining: boolean;
  exitWatch: NodeJS.Timeout | undefined;
  quiet: NodeJS.Timeout | undefined;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as PtyHostSettings;
const lives = new Map<string, Live>();
/** How often we check whether an agent process is gone. */
const EXIT_WATCH_MS = 25;
/** After the process is gone, output this long quiet means the kernel's buffer is empty. */
const DRAIN_QUIET_MS = 30;

function send(message: FromPtyHost): void {
  if (process.connected) process.send!(message);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // node-pty makes each child a session leader, so its pid is also its process group id.
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Reaped, that is: node-pty waits for its child at once, so a zombie is only a moment. */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

function releaseSlave(live: Live): void {
  clearTimeout(live.quiet);
  if (live.slave < 0) return;
  closeSync(live.slave);
  live.slave = -1;
}

/** The batch window after a flush ended: send what gathered in it, and keep batching while output keeps coming. */
function windowClosed(id: string, live: Live): void {
  live.timer = undefined;
  if (live.pendingSize === 0) return;
  flush(id, live);
  live.timer = setTimeout(() => windowClosed(id, live), settings.batchMs);
}

function flush(id: string, live: Live): void {
  if (live.pendingSize === 0) return;
  const data = live.pending.length === 1 ? live.pending[0]! : live.pending.join('');
  live.sent += live.pendingSize;
  live.pending = [];
  live.pendingSize = 0;
  live.seq += 1;
  live.marks.push([live.seq, live.sent]);
  send({ type: 'data', id, seq: live.seq, data });
  if (!live.paused && !live.draining && live.sent - live.acked > settings.highWaterBytes) {
    live.pty.pause();
    live.paused = true;
  }
}

function watchExit(live: Live): NodeJS.Timeout {
  return setInterval(() => {
    if (!isGone(live.pty.pid)) return;
    clearInterval(live.exitWatch);
    live.draining = true;
    if (live.paused) {
      live.paused = false;
      live.pty.resume();
    }
    live.quiet = setTimeout(() => releaseSlave(live), DRAIN_QUIET_MS);
  }, EXIT_WATCH_MS);
}

function start(req: SpawnRequest): void {
  let pty: IPty;
  let slave: number;
  try {
    pty = spawn(req.file, req.args, { name: req.env.TERM ?? 'xterm-256color', cols: req.cols, rows: req.rows, cwd: req.cwd, env: req.env });
    slave = openSync((pty as IPty & { ptsName: string }).ptsName, constants.O_RDWR | constants.O_NOCTTY);
  } catch (err) {
    send({ type: 'exit', id: req.id, exitCode: -1, signal: null, error: `Cannot start ${req.file}: ${(err as Error).message}` });
    return;
  }
  const live: Live = {
    pty, slave, pending: [], pendingSize: 0, timer: undefined, seq: 0, sent: 0, acked: 0, marks: [],
    paused: false, draining: false, exitWatch: undefined, quiet: undefined,
  };
  live.exitWatch = watchExit(live);
  lives.set(req.id, live);
  send({ type: 'spawned', id: req.id, pid: pty.pid });
  pty.onData((data) => {
    live.pending.push(data);
    live.pendingSize += data.length;
    if (live.pendingSize >= settings.batchBytes) flush(req.id, live);
    else if (!live.timer) {
      // Output after a quiet spell goes out at once (a line a person or client waits for);
      // what follows within batchMs waits for that window to close, so a flood is still batched.
      flush(req.id, live);
      live.timer = setTimeout(() => windowClosed(req.id, live), settings.batchMs);
    }
    if (live.draining && live.slave >= 0) live.quiet?.refresh();
  });
  pty.onExit(({ exitCode, signal }) => {
    clearTimeout(live.timer);
    flush(req.id, live);
    clearInterval(live.exitWatch);
    releaseSlave(live);
    lives.delete(req.id);
    send({ type: 'exit', id: req.id, exitCode, signal: signal || null });
  });
}

function ack(live: Live, seq: number): void {
  while (live.marks.length && live.marks[0]![0] <= seq) live.acked = live.marks.shift()![1];
  if (live.paused && live.sent - live.acked <= settings.lowWaterBytes) {
    live.paused = false;
    live.pty.resume();
  }
}

function kill(pid: number, signal: NodeJS.Signals, escalateMs: number | undefined): void {
  killGroup(pid, signal);
  if (escalateMs !== undefined) setTimeout(() => killGroup(pid, 'SIGKILL'), escalateMs).unref();
}

function shutdown(graceMs: number): void {
  for (const live of lives.values()) kill(live.pty.pid, 'SIGTERM', graceMs);
  const deadline = Date.now() + graceMs + 500;
  const check = setInterval(() => {
    if (lives.size === 0 || Date.now() > deadline) {
      clearInterval(check);
      process.exit(0);
    }
  }, 20);
}

process.on('message', (message: ToPtyHost) => {
  switch (message.type) {
    case 'spawn':
      return start(message);
    case 'shutdown':
      return shutdown(message.graceMs);
  }
  const live = lives.get(message.id);
  if (!live) return;
  switch (message.type) {
    case 'write':
      return live.pty.write(message.data);
    case 'resize':
      return live.pty.resize(message.cols, message.rows);
    case 'kill':
      return kill(live.pty.pid, message.signal, message.escalateMs);
    case 'ack':
      return ack(live, message.seq);
  }
});

// The parent is gone (crashed or killed): nobody will read the output, so end the agents now.
process.on('disconnect', () => {
  for (const live of lives.values()) killGroup(live.pty.pid, 'SIGKILL');
  process.exit(0);
});

send({ type: 'ready' });
