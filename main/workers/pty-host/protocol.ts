/** Messages between the host process (parent) and the pty host (child), over Node's IPC channel. */

export interface PtyHostSettings {
  /** Output of one pty is sent at most this long after it was read... */
  batchMs: number;
  /** ...or as soon as this many characters are waiting. */
  batchBytes: number;
  /** Characters sent but not yet acked above which the pty is paused, so the agent blocks on write. */
  highWaterBytes: number;
  /** A paused pty resumes once the unacked characters drop to this. */
  lowWaterBytes: number;
}

export const defaultPtyHostSettings: PtyHostSettings = {
  batchMs: 5,
  batchBytes: 64 * 1024,
  highWaterBytes: 1024 * 1024,
  lowWaterBytes: 256 * 1024,
};

export interface SpawnRequest {
  id: string;
  /** Executable and argv; never run through a shell. */
  file: string;
  args: string[];
  cwd: string;
  /** The whole environment of the process: nothing is inherited from the pty host. */
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export type ToPtyHost =
  | ({ type: 'spawn' } & SpawnRequest)
  | { type: 'write'; id: string; data: string }
  | { type: 'resize'; id: string; cols: number; rows: number }
  /** Signals the pty's whole process group; with `escalateMs`, SIGKILLs the group that long after. */
  | { type: 'kill'; id: string; signal: NodeJS.Signals; escalateMs?: number }
  /** Every batch up to and including `seq` has been consumed. */
  | { type: 'ack'; id: string; seq: number }
  | { type: 'shutdown'; graceMs: number };

export type FromPtyHost =
  | { type: 'ready' }
  | { type: 'spawned'; id: string; pid: number }
  | { type: 'data'; id: string; seq: number; data: string }
  /** Always the last message about `id`: every batch of its output was sent before it. */
  | { type: 'exit'; id: string; exitCode: number; signal: number | null; error?: string };
