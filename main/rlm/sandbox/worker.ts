// The sandbox's worker thread: one QuickJS runtime (WebAssembly) with a memory cap, a stack cap
// and an interrupt handler for the step deadline. The memory cap is the WebAssembly memory's
// maximum: this build of QuickJS cannot measure its allocations (no malloc_usable_size), so its
// own setMemoryLimit would only refuse single allocations above the limit; a memory that cannot
// grow makes every malloc past the cap fail, and QuickJS throws "out of memory". Nothing of Node reaches the code it runs: the
// QuickJS context has no module loader, no std/os modules and no host objects but the three
// functions the prelude wraps (print, sub-calls, final answer).
import variant from '@jitl/quickjs-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSHandle } from 'quickjs-emscripten-core';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { PRELUDE } from './prelude';
import type { FromWorker, SandboxStop, StepResult, SubCallReply, ToWorker, WorkerInit } from './protocol';
import { completeUtf8, textMaker } from './quickjs-text';

/** Longest final answer kept, in characters. */
const FINAL_MAX = 1_000_000;

const LOADER = `(function () {
  let docs = [];
  let name = '';
  let acc = '';
  return {
    begin(n) { name = n; acc = ''; },
    add(s) { acc += s; },
    end() { docs.push({ name, text: acc }); acc = ''; },
    seal(single) {
      const context = single && docs.length === 1 ? docs[0].text : docs;
      let chars = 0;
      for (const d of docs) chars += d.text.length;
      Object.defineProperty(globalThis, 'context', { value: context, writable: true, configurable: true, enumerable: false });
      docs = [];
      return chars;
    },
  };
})()`;

const init = workerData as WorkerInit;
const port = parentPort!;
const flag = new Int32Array(init.flag);
const post = (message: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer ?? []);

const PAGE = 64 * 1024;
type WasmMemory = NonNullable<Parameters<typeof newVariant>[1]['wasmMemory']>;
// The project's lib declares no WebAssembly values (no DOM lib); Node has them all the same.
const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => WasmMemory } }).WebAssembly;
const wasmMemory = new Memory({ initial: 256, maximum: Math.max(256, Math.floor(init.caps.memoryBytes / PAGE)) });
const QuickJS = await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmMemory }));
const runtime = QuickJS.newRuntime();
runtime.setMaxStackSize(init.caps.stackBytes);
let deadline = Number.POSITIVE_INFINITY;
runtime.setInterruptHandler(() => Date.now() > deadline);
const vm = runtime.newContext();
const text = textMaker(vm);

/** What the current step printed, its count, the final answer and whether a sub-call ran out of time. */
let step = { kept: '', chars: 0, printed: false, refused: false, final: undefined as string | undefined, waitTimedOut: false };
let subCallId = 0;

function lengthOf(h: QuickJSHandle): number {
  return vm.getNumber(vm.getProp(h, 'length'));
}

const helpers = (() => {
  const prelude = vm.unwrapResult(vm.evalCode(PRELUDE, 'prelude.js'));
  const host = vm.newObject();
  vm.newFunction('print', (h) => {
    if (vm.typeof(h) !== 'string') throw new TypeError('print takes a string');
    // Each print is a line: a newline goes between two prints, none after the last.
    if (step.printed) keep('\n', 1);
    step.printed = true;
    keep(h, lengthOf(h));
  }).consume((f) => vm.setProp(host, 'print', f));
  vm.newFunction('llm', (h) => subCall(h)).consume((f) => vm.setProp(host, 'llm', f));
  vm.newFunction('final', (h) => {
    if (vm.typeof(h) !== 'string') throw new TypeError('FINAL takes a string');
    const n = lengthOf(h);
    step.final = n <= FINAL_MAX ? vm.getString(h) : `${cutString(h, FINAL_MAX)}\n[answer cut at ${FINAL_MAX} of ${n} characters]`;
  }).consume((f) => vm.setProp(host, 'final', f));
  const result = vm.unwrapResult(vm.callFunction(prelude, vm.undefined, host));
  prelude.dispose();
  host.dispose();
  return { format: vm.getProp(result, 'format'), cut: vm.getProp(result, 'cut'), loader: vm.unwrapResult(vm.evalCode(LOADER, 'loader.js')) };
})();

/** Counts `n` characters of output and keeps what fits under the output cap. */
function keep(h: QuickJSHandle | string, n: number): void {
  step.chars += n;
  const room = init.caps.outputChars - step.kept.length;
  if (room <= 0) return;
  if (typeof h === 'string') step.kept += h.slice(0, room);
  else step.kept += n <= room ? vm.getString(h) : cutString(h, room);
}

/** The first `n` characters of a long string, sliced inside QuickJS so only they cross over. */
function cutString(h: QuickJSHandle, n: number): string {
  const cut = vm.newNumber(n).consume((limit) => vm.unwrapResult(vm.callFunction(helpers.cut, vm.undefined, h, limit)));
  try {
    if (vm.typeof(cut) !== 'string' || lengthOf(cut) > n) return '';
    return vm.getString(cut);
  } finally {
    cut.dispose();
  }
}

/** llm_query / llm_query_batched: posts the prompts to the host and blocks until it answers or the step's time is up. */
function subCall(promptsHandle: QuickJSHandle): QuickJSHandle {
  const count = lengthOf(promptsHandle);
  if (!Number.isInteger(count) || count < 1) throw new TypeError('llm_query_batched needs at least one prompt');
  if (count > init.caps.batchMax) {
    step.refused = true;
    throw new RangeError(`sub-call limit of this step reached: ${init.caps.batchMax} per step, ${count} asked in one batch (step_sub_calls)`);
  }
  const prompts: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = vm.getProp(promptsHandle, i);
    try {
      const n = vm.typeof(p) === 'string' ? lengthOf(p) : -1;
      if (n < 0) throw new TypeError(`prompt ${i} is not a string`);
      if (n > init.caps.promptChars) throw new RangeError(`prompt ${i} has ${n} characters; a sub-call takes at most ${init.caps.promptChars}: slice the context smaller`);
      prompts.push(vm.getString(p));
    } finally {
      p.dispose();
    }
  }
  const id = ++subCallId;
  Atomics.store(flag, 0, 0);
  post({ type: 'llm', id, prompts, deadline });
  for (;;) {
    const wait = deadline - Date.now();
    if (wait <= 0 || Atomics.wait(flag, 0, 0, Number.isFinite(wait) ? wait : undefined) === 'timed-out') {
      step.waitTimedOut = true;
      throw new Error('the step deadline passed while waiting for llm_query');
    }
    Atomics.store(flag, 0, 0);
    // Answers to sub-calls of an earlier, timed-out step may still arrive: skip them.
    for (let got = receiveMessageOnPort(init.replies); got; got = receiveMessageOnPort(init.replies)) {
      const reply = got.message as SubCallReply;
      if (reply.id !== id) continue;
      if (!reply.ok) throw new Error(reply.error);
      const array = vm.newArray();
      reply.texts.forEach((t, i) => vm.newString(t).consume((s) => vm.setProp(array, i, s)));
      return array;
    }
  }
}

function stopOf(name: string, message: string): SandboxStop | undefined {
  if (message === 'interrupted' || step.waitTimedOut) return 'step_timeout';
  if (message === 'out of memory') return 'memory_limit';
  if (message === 'stack overflow' || message.includes('Maximum call stack')) return 'stack_limit';
  return name === 'InternalError' && /memory/.test(message) ? 'memory_limit' : undefined;
}

/** An error value as one readable line plus the stack QuickJS gives it, and the limit it hit. */
function describeError(h: QuickJSHandle): { error: string; stop?: SandboxStop } {
  let name = 'Error';
  let message = '';
  let stack = '';
  try {
    const read = (key: string) => {
      const v = vm.getProp(h, key);
      try {
        return vm.typeof(v) === 'string' ? vm.getString(v) : '';
      } finally {
        v.dispose();
      }
    };
    if (vm.typeof(h) === 'object') {
      name = read('name') || name;
      message = read('message');
      stack = read('stack');
    } else {
      message = vm.typeof(h) === 'string' ? vm.getString(h) : `thrown ${vm.typeof(h)}`;
    }
  } catch {
    // Reading the error ran out of memory itself: the name is all there is.
    message ||= 'out of memory';
  }
  const stop = stopOf(name, message);
  const text = `${name}: ${message}${stack.trim() ? `\n${stack.trimEnd()}` : ''}`;
  return { error: text.length > 2000 ? `${text.slice(0, 2000)}…` : text, stop };
}

function printValue(h: QuickJSHandle): void {
  const formatted = vm.callFunction(helpers.format, vm.undefined, h);
  if (formatted.error) {
    formatted.error.dispose();
    return;
  }
  formatted.value.consume((s) => (vm.typeof(s) === 'string' ? keep(s, lengthOf(s)) : undefined));
}

function run(code: string, until: number): StepResult {
  step = { kept: '', chars: 0, printed: false, refused: false, final: undefined, waitTimedOut: false };
  deadline = until;
  let failure: { error: string; stop?: SandboxStop } | undefined;
  try {
    const result = vm.evalCode(code, 'step.js');
    if (result.error) {
      failure = result.error.consume(describeError);
    } else {
      const value = result.value;
      const jobs = runtime.executePendingJobs();
      if (jobs.error) failure = jobs.error.consume(describeError);
      if (!failure && vm.typeof(value) === 'object') {
        const state = vm.getPromiseState(value);
        if (state.type === 'rejected') failure = state.error.consume(describeError);
        else if (state.type === 'fulfilled') {
          if (state.notAPromise) {
            if (!step.chars) printValue(value);
          } else state.value.consume((v) => (!step.chars && vm.typeof(v) !== 'undefined' ? printValue(v) : undefined));
        }
      } else if (!failure && !step.chars && vm.typeof(value) !== 'undefined') {
        printValue(value);
      }
      value.dispose();
    }
  } finally {
    deadline = Number.POSITIVE_INFINITY;
  }
  if (step.refused && !failure?.stop) failure = { error: failure?.error ?? '', stop: 'step_sub_calls' };
  if (failure && !failure.error) delete (failure as { error?: string }).error;
  return { output: step.kept, outputChars: step.chars, ...failure, ...(step.final !== undefined ? { final: step.final } : {}) };
}

function callLoader(method: string, ...args: QuickJSHandle[]): QuickJSHandle {
  const fn = vm.getProp(helpers.loader, method);
  try {
    return vm.unwrapResult(vm.callFunction(fn, helpers.loader, ...args));
  } finally {
    fn.dispose();
    for (const a of args) a.dispose();
  }
}

/** Runs a loader step; an exception (out of memory, most likely) fails the load with its reason. */
function load(work: () => void): boolean {
  try {
    work();
    return true;
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    const stop = stopOf('InternalError', message) ?? (/memory/i.test(message) ? 'memory_limit' : undefined);
    post({ type: 'load-failed', message, ...(stop ? { stop } : {}) });
    return false;
  }
}

let carry = new Uint8Array(0);
let loadFailed = false;

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'doc':
      carry = new Uint8Array(0);
      loadFailed ||= !load(() => callLoader('begin', vm.newString(message.name)).dispose());
      return;
    case 'bytes': {
      post({ type: 'took' });
      if (loadFailed) return;
      let bytes = message.data;
      if (carry.length) {
        const joined = new Uint8Array(carry.length + bytes.length);
        joined.set(carry);
        joined.set(bytes, carry.length);
        bytes = joined;
      }
      const end = message.last ? bytes.length : completeUtf8(bytes);
      carry = bytes.slice(end);
      loadFailed ||= !load(() => {
        if (end > 0) callLoader('add', text.fromBytes(bytes.subarray(0, end))).dispose();
        if (message.last) callLoader('end').dispose();
      });
      return;
    }
    case 'text':
      post({ type: 'took' });
      if (loadFailed) return;
      loadFailed ||= !load(() => {
        if (message.data) callLoader('add', text.fromText(message.data)).dispose();
        if (message.last) callLoader('end').dispose();
      });
      return;
    case 'seal':
      if (loadFailed) return;
      load(() => {
        const chars = callLoader('seal', message.single ? vm.true : vm.false);
        post({ type: 'sealed', chars: chars.consume((c) => vm.getNumber(c)) });
      });
      return;
    case 'run':
      post({ type: 'done', id: message.id, ...run(message.code, message.deadline) });
      return;
  }
});

post({ type: 'ready' });
