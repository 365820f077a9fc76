import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../base/log';
import { defaultPtyHostSettings, type FromPtyHost, type PtyHostSettings, type ToPtyHost } from './protocol';

export interface PtySpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols?: number;
  rows?: number;
}

export interface PtyExit {
  exitCode: number;
  /** Number of the signal that ended the process, if one did. */
  signal: number | null;
  /** Set when the process could not start or its pty host died: the reason, for a person. */
  error?: string;
}

export interface PtyListeners {
  /** One batch of output. Call `ack(seq)` once it is consumed, or the pty is paused when too much is unacked. */
  onData(data: string, seq: number): void;
  /** Called once, after the last onData. */
  onExit(exit: PtyExit): void;
}

export interface PtyProcess {
  readonly id: string;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Signals the whole process group; with `escalateMs`, SIGKILLs the group that long after. */
  kill(signal: NodeJS.Signals, escalateMs?: number): void;
  ack(seq: number): void;
}

export interface PtyHost {
  spawn(options: PtySpawnOptions, listeners: PtyListeners): PtyProcess;
  /** Pid of the pty host process, while one runs. */
  readonly pid: number | undefined;
  /** Ends every pty (SIGTERM, SIGKILL after `graceMs`) and the pty host itself. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface PtyHostOptions {
  log: Logger;
  settings?: Partial<PtyHostSettings>;
}

interface Session {
  child: ChildProcess;
  ready: boolean;
  queue: ToPtyHost[];
  procs: Map<string, PtyListeners>;
  exited: Promise<void>;
}

const entry = fileURLToPath(new URL('./entry.js', import.meta.url));

/**
 * The parent side of the pty host. The child process is started on the first spawn rather than
 * with the host: a host that never runs a pty agent (tests, the echo agent, CLI commands) never
 * pays for it, and the same path starts a fresh one after a crash.
 */
export function createPtyHost(options: PtyHostOptions): PtyHost {
  const settings = { ...defaultPtyHostSettings, ...options.settings };
  const log = options.log;
  let session: Session | undefined;
  let stopping: Promise<void> | undefined;

  function deliver(s: Session, message: FromPtyHost): void {
    if (message.type === 'ready') {
      s.ready = true;
      for (const m of s.queue.splice(0)) s.child.send(m);
      return;
    }
    if (message.type === 'spawned') return;
    const listeners = s.procs.get(message.id);
    if (!listeners) return;
    try {
      if (message.type === 'data') return listeners.onData(message.data, message.seq);
      s.procs.delete(message.id);
      listeners.onExit({ exitCode: message.exitCode, signal: message.signal, error: message.error });
    } catch (err) {
      log.error('pty listener failed', { id: message.id, error: (err as Error).message });
    }
  }

  function open(): Session {
    const child = fork(entry, [JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [], serialization: 'json' });
    let exited!: () => void;
    const s: Session = { child, ready: false, queue: [], procs: new Map(), exited: new Promise((r) => (exited = r)) };
    child.on('message', (m: FromPtyHost) => deliver(s, m));
    const onGone = (reason: string) => {
      if (session === s) session = undefined;
      const orphans = [...s.procs.values()];
      s.procs.clear();
      if (orphans.length) log.error('pty host died', { reason, running: orphans.length });
      for (const l of orphans) {
        try {
          l.onExit({ exitCode: -1, signal: null, error: `The pty host process ${reason} while the agent was running.` });
        } catch (err) {
          log.error('pty listener failed', { error: (err as Error).message });
        }
      }
      exited();
    };
    child.on('exit', (code, signal) => onGone(signal ? `was killed by ${signal}` : `exited with code ${code}`));
    child.on('error', (err) => {
      log.error('pty host process error', { error: err.message });
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    log.debug('pty host started', { pid: child.pid });
    return s;
  }

  function post(s: Session, message: ToPtyHost): void {
    if (!s.ready) s.queue.push(message);
    else if (s.child.connected) s.child.send(message);
  }

  return {
    get pid() {
      return session?.child.pid;
    },
    spawn(opts, listeners) {
      const id = randomUUID();
      if (stopping) {
        queueMicrotask(() => listeners.onExit({ exitCode: -1, signal: null, error: 'The pty host is shutting down.' }));
        return { id, write() {}, resize() {}, kill() {}, ack() {} };
      }
      const s = (session ??= open());
      s.procs.set(id, listeners);
      post(s, { type: 'spawn', id, file: opts.file, args: opts.args, cwd: opts.cwd, env: opts.env, cols: opts.cols ?? 200, rows: opts.rows ?? 50 });
      return {
        id,
        write: (data) => post(s, { type: 'write', id, data }),
        resize: (cols, rows) => post(s, { type: 'resize', id, cols, rows }),
        kill: (signal, escalateMs) => post(s, { type: 'kill', id, signal, escalateMs }),
        ack: (seq) => post(s, { type: 'ack', id, seq }),
      };
    },
    stop(graceMs = 1000) {
      stopping ??= (async () => {
        const s = session;
        if (!s) return;
        post(s, { type: 'shutdown', graceMs });
        const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs + 2000);
        await s.exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
