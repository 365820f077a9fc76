import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';

/**
 * The parts of a QuickJSContext that quickjs-emscripten keeps private, used to turn UTF-8 bytes
 * into a QuickJS string without the library's per-character JS encoder: `newString` costs about
 * 40 ms per MB that way, copying the bytes straight into WASM memory about 4 ms. Checked once at
 * start; if a library update moved them, every string takes the public (slower) path instead.
 */
interface Internals {
  memory: {
    newHeapBufferPointer(buffer: Uint8Array): { value: { pointer: number }; dispose(): void };
    heapValueHandle(ptr: number): QuickJSHandle;
  };
  ffi: { QTS_NewString(ctx: number, ptr: number): number };
  ctx: { value: number };
}

function internalsOf(vm: QuickJSContext): Internals | undefined {
  const i = vm as unknown as Partial<Internals>;
  const ok =
    typeof i.memory?.newHeapBufferPointer === 'function' &&
    typeof i.memory.heapValueHandle === 'function' &&
    typeof i.ffi?.QTS_NewString === 'function' &&
    typeof i.ctx?.value === 'number';
  return ok ? (i as Internals) : undefined;
}

/** Where the last complete UTF-8 sequence of `bytes` ends: the rest waits for the next chunk. */
export function completeUtf8(bytes: Uint8Array): number {
  let i = bytes.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (bytes[i]! & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return bytes.length;
  const lead = bytes[i]!;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return length > continuation + 1 ? i : bytes.length;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export interface TextMaker {
  /** A QuickJS string of whole UTF-8 sequences; NUL bytes read as U+FFFD (QuickJS takes C strings). */
  fromBytes(bytes: Uint8Array): QuickJSHandle;
  fromText(text: string): QuickJSHandle;
  /** True when the fast path is in use (a test pins it, so a library update that breaks it shows). */
  readonly fast: boolean;
}

export function textMaker(vm: QuickJSContext): TextMaker {
  const internals = internalsOf(vm);
  const slow = (bytes: Uint8Array) => vm.newString(decoder.decode(bytes).replaceAll('\0', '\uFFFD'));
  const fromBytes = (bytes: Uint8Array): QuickJSHandle => {
    if (!internals || bytes.includes(0)) return slow(bytes);
    const terminated = new Uint8Array(bytes.length + 1);
    terminated.set(bytes);
    const buffer = internals.memory.newHeapBufferPointer(terminated);
    try {
      const handle = internals.memory.heapValueHandle(internals.ffi.QTS_NewString(internals.ctx.value, buffer.value.pointer));
      // JS_NewString gives an exception value when the memory cap refuses the string.
      if (vm.typeof(handle) !== 'string') {
        handle.dispose();
        throw new Error('out of memory');
      }
      return handle;
    } finally {
      buffer.dispose();
    }
  };
  return { fromBytes, fromText: (text) => fromBytes(encoder.encode(text)), fast: internals !== undefined };
}
