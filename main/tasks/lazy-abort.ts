/**
 * An AbortController made only when its signal is asked for. Node's AbortSignal is an
 * EventTarget and costly to create; most runs (the echo agent, quick agents) never look at it.
 */
export function lazyAbort() {
  let controller: AbortController | undefined;
  let aborted = false;
  return {
    get signal(): AbortSignal {
      controller ??= new AbortController();
      if (aborted && !controller.signal.aborted) controller.abort();
      return controller.signal;
    },
    get aborted(): boolean {
      return aborted;
    },
    abort(): void {
      aborted = true;
      controller?.abort();
    },
  };
}

export type LazyAbort = ReturnType<typeof lazyAbort>;
