import { describe, expect, it } from 'vitest';
import { lazyAbort, stopSourceOf } from '../../main/tasks/lazy-abort';

describe('lazy abort', () => {
  it('tells its listeners once, and a signal asked for before or after the abort says aborted', () => {
    const before = lazyAbort();
    const early = before.signal;
    let calls = 0;
    before.onAbort(() => calls++);
    before.onAbort(() => (calls += 100));
    expect(early.aborted).toBe(false);
    before.abort();
    before.abort();
    expect(early.aborted).toBe(true);
    expect(before.aborted).toBe(true);
    expect(calls).toBe(101);

    const after = lazyAbort();
    after.abort();
    expect(after.signal.aborted).toBe(true);
  });

  it('drops a listener that was removed', () => {
    const stop = lazyAbort();
    let called = false;
    stop.onAbort(() => (called = true))();
    stop.abort();
    expect(called).toBe(false);
  });

  it('adapts an AbortSignal', () => {
    const controller = new AbortController();
    const source = stopSourceOf(controller.signal);
    let calls = 0;
    source.onAbort(() => calls++);
    source.onAbort(() => calls++)();
    controller.abort();
    expect(source.aborted).toBe(true);
    expect(calls).toBe(1);
  });
});
