import { MessageChannel, Worker } from 'node:worker_threads';
import type { FromWorker, SandboxCaps, SandboxStop, StepResult, SubCallReply, ToWorker, WorkerInit } from './protocol';

const entry = new URL('./entry.js', import.meta.url);

/** Chunks of material in flight to the worker at once: bounds the host's copies of a large input. */
const WINDOW = 2;
/** How long past its deadline a step may take before the worker is ended from outside. */
const WATCHDOG_GRACE_MS = 2000;

export type SubCallAnswer = { ok: true; texts: string[] } | { ok: false; error: string };

export interface SandboxOptions {
  caps: SandboxCaps;
  /** Runs the sub-calls of llm_query / llm_query_batched; `deadline` is the step's. */
  subCalls(prompts: string[], deadline: number): Promise<SubCallAnswer>;
}

/** One document of the material: its name and its text in pieces (UTF-8 bytes or strings). */
export interface MaterialDoc {
  name: string;
  pieces(): AsyncIterable<Uint8Array | string>;
}

export type LoadResult = { ok: true; chars: number } | { ok: false; message: string; stop?: SandboxStop };

/** A step's result, or how the worker was lost: a crash, or a step that overran its deadline and had to be ended. */
export type RunResult = ({ lost?: undefined } & StepResult) | { lost: 'crashed' | 'step_timeout'; message: string };

export interface Sandbox {
  load(docs: AsyncIterable<MaterialDoc>, single: boolean): Promise<LoadResult>;
  run(code: string, deadline: number): Promise<RunResult>;
  /** Ends the worker at once (cancel, task deadline, end of the run). */
  dispose(): Promise<void>;
}

export class SandboxLostError extends Error {}

/**
 * Starts a QuickJS sandbox in a worker thread, so the host's event loop stays free while the
 * model's code runs, and a cancel or a runaway step can end it outright (Worker.terminate).
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const flag = new SharedArrayBuffer(4);
  const signal = new Int32Array(flag);
  const { port1: replies, port2: workerReplies } = new MessageChannel();
  const init: WorkerInit = { caps: options.caps, flag, replies: workerReplies };
  const worker = new Worker(entry, {
    workerData: init,
    transferList: [workerReplies],
    // The V8 stack must be far deeper than QuickJS's own cap, so QuickJS's stack check is what trips.
    resourceLimits: { stackSizeMb: Math.max(16, Math.ceil((options.caps.stackBytes / 1024 / 1024) * 32)), maxOldGenerationSizeMb: 256 },
    stdout: true,
    stderr: true,
  });
  let listener: ((m: FromWorker) => void) | undefined;
  let lost: ((err: Error) => void) | undefined;
  let ended: Error | undefined;
  const end = (err: Error) => {
    if (ended) return;
    ended = err;
    lost?.(err);
  };
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'llm') {
      void options.subCalls(m.prompts, m.deadline).then((answer) => {
        const reply: SubCallReply = { id: m.id, ...answer };
        replies.postMessage(reply);
        Atomics.store(signal, 0, 1);
        Atomics.notify(signal, 0);
      });
      return;
    }
    listener?.(m);
  });
  worker.on('error', (err) => end(new SandboxLostError(`the sandbox crashed: ${err.message}`)));
  worker.on('exit', (code) => end(new SandboxLostError(`the sandbox stopped (exit ${code})`)));

  /** Waits for the worker's next message that `pick` accepts. */
  function next<T>(pick: (m: FromWorker) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (ended) return reject(ended);
      listener = (m) => {
        const value = pick(m);
        if (value !== undefined) resolve(value);
      };
      lost = reject;
    });
  }
  const send = (message: ToWorker, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer);

  await next((m) => (m.type === 'ready' ? true : undefined));

  let runId = 0;
  return {
    async load(docs, single) {
      let inFlight = 0;
      let failed: LoadResult | undefined;
      let wake: (() => void) | undefined;
      listener = (m) => {
        if (m.type === 'took') inFlight--;
        else if (m.type === 'load-failed') failed = { ok: false, message: m.message, ...(m.stop ? { stop: m.stop } : {}) };
        wake?.();
      };
      const room = () =>
        new Promise<void>((resolve, reject) => {
          if (ended) return reject(ended);
          if (inFlight < WINDOW || failed) return resolve();
          wake = resolve;
          lost = reject;
        });
      for await (const doc of docs) {
        send({ type: 'doc', name: doc.name });
        let pending: Uint8Array | string | undefined;
        const flush = async (last: boolean) => {
          await room();
          inFlight++;
          if (typeof pending === 'string' || pending === undefined) send({ type: 'text', data: pending ?? '', last });
          else {
            // Transferred, not copied, unless the bytes are a view into a larger (pooled) buffer.
            const own = pending.byteOffset === 0 && pending.byteLength === pending.buffer.byteLength && pending.buffer instanceof ArrayBuffer;
            const data = own ? pending : new Uint8Array(pending);
            send({ type: 'bytes', data, last }, [data.buffer as ArrayBuffer]);
          }
          pending = undefined;
        };
        for await (const piece of doc.pieces()) {
          if (failed) break;
          if (pending !== undefined) await flush(false);
          pending = piece;
        }
        if (failed) break;
        await flush(true);
      }
      if (failed) return failed;
      send({ type: 'seal', single });
      return next((m): LoadResult | undefined => {
        if (m.type === 'sealed') return { ok: true, chars: m.chars };
        if (m.type === 'load-failed') return { ok: false, message: m.message, ...(m.stop ? { stop: m.stop } : {}) };
        return failed;
      });
    },

    async run(code, deadline) {
      const id = ++runId;
      send({ type: 'run', id, code, deadline });
      let watchdog: NodeJS.Timeout | undefined;
      const overran = new Promise<RunResult>((resolve) => {
        watchdog = setTimeout(() => {
          resolve({ lost: 'step_timeout', message: 'the step did not stop at its deadline (a long native operation), so the sandbox was ended' });
          void worker.terminate();
        }, Math.max(0, deadline - Date.now()) + WATCHDOG_GRACE_MS);
      });
      const done = next((m): RunResult | undefined => {
        if (m.type !== 'done' || m.id !== id) return undefined;
        const { type: _type, id: _id, ...result } = m;
        return result;
      }).catch((err: Error): RunResult => ({ lost: 'crashed', message: err.message }));
      try {
        return await Promise.race([done, overran]);
      } finally {
        clearTimeout(watchdog);
      }
    },

    async dispose() {
      end(new SandboxLostError('the sandbox was ended'));
      replies.close();
      await worker.terminate();
    },
  };
}
