/** Something that says when to stop waiting, with or without an AbortSignal behind it. */
export interface StopSource {
  readonly aborted: boolean;
  /** Calls `listener` once on abort; returns the function that removes it. */
  onAbort(listener: () => void): () => void;
}

/**
 * An AbortController made only when its signal is asked for. Node's AbortSignal is an
 * EventTarget and costly to create; most runs and requests (the echo agent, a quick blocking
 * send) never look at it, and `onAbort` serves the ones that only wait.
 */
export function lazyAbort() {
  let controller: AbortController | undefined;
  let aborted = false;
  const listeners = new Set<() => void>();
  return {
    get signal(): AbortSignal {
      controller ??= new AbortController();
      if (aborted && !controller.signal.aborted) controller.abort();
      return controller.signal;
    },
    get aborted(): boolean {
      return aborted;
    },
    onAbort(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    abort(): void {
      if (aborted) return;
      aborted = true;
      controller?.abort();
      for (const listener of [...listeners]) listener();
      listeners.clear();
    },
  };
}

export type LazyAbort = ReturnType<typeof lazyAbort>;

/** An AbortSignal as a StopSource. */
export function stopSourceOf(signal: AbortSignal): StopSource {
  return {
    get aborted() {
      return signal.aborted;
    },
    onAbort(listener) {
      signal.addEventListener('abort', listener, { once: true });
      return () => signal.removeEventListener('abort', listener);
    },
  };
}
