import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin.js', import.meta.url));

export interface RelayProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  readonly httpUrl: string;
  /** Everything the process wrote to stderr so far (its JSON log). */
  stderr(): string;
  /** Resolves with the exit code, or the signal's name when it was killed. */
  readonly exited: Promise<number | string>;
}

/** Starts `codetether-relay serve` as its own process and waits for its listening line. */
export async function spawnRelay(dataDir: string, args: string[] = []): Promise<RelayProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--data-dir', dataDir, '--port', '0', '--log-level', 'warn', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start in time:\n${err}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on ws:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited (${code}) before listening:\n${err}`));
    });
  });
  return {
    child,
    port,
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    stderr: () => err,
    exited,
  };
}

/** Ends a relay process if it still runs; for afterEach hooks. */
export async function killRelay(relay: RelayProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!relay || relay.child.exitCode !== null || relay.child.signalCode !== null) return;
  relay.child.kill(signal);
  await relay.exited;
}
