/**
 * Runs `run` once on the next turn of the event loop however often the returned function is
 * called before then: many enqueues in one turn (a commit of many events) wake a loop once.
 */
export function coalesced(run: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      run();
    });
  };
}
