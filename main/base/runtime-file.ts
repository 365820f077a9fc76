import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** What a running host tells the CLI about itself, in `<dataDir>/host.json`. */
export const hostRuntimeSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  version: z.string(),
  /** Origin of the host's HTTP server: the monitor, the APIs, /healthz. */
  origin: z.string().url(),
  a2a: z.string().url(),
  /** The MCP endpoint; absent when its port could not be bound. */
  mcp: z.string().url().optional(),
});

export type HostRuntime = z.infer<typeof hostRuntimeSchema>;

export function runtimeFile(dataDir: string): string {
  return join(dataDir, 'host.json');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Written whole or not at all (a reader never sees half a file), readable by this user only. */
export function writeRuntime(dataDir: string, runtime: HostRuntime): void {
  const file = runtimeFile(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(runtime, null, 2) + '\n', { mode: 0o600 });
  renameSync(temp, file);
}

/**
 * The host running on `dataDir`, or undefined when none does: no file, a file the CLI cannot
 * read, or one left by a host that died without removing it (its pid is gone).
 */
export function readRuntime(dataDir: string): HostRuntime | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(runtimeFile(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  const runtime = hostRuntimeSchema.safeParse(parsed);
  return runtime.success && alive(runtime.data.pid) ? runtime.data : undefined;
}

/** Removes the file if it is still this process's own (a newer host may have replaced it). */
export function removeRuntime(dataDir: string, pid = process.pid): void {
  const current = readRuntime(dataDir);
  if (current?.pid === pid) rmSync(runtimeFile(dataDir), { force: true });
}
