import { onTestFinished, TestRunner } from 'vitest';

/** Clean-ups registered outside a running test; the setup file (test/support/setup.ts) runs them when the test file is done. */
const atFileEnd: (() => unknown)[] = [];

/**
 * Runs `fn` when the current test finishes (a test or its beforeEach called this), or, called
 * anywhere else (a beforeAll, a describe body), when the test file is done. Either way the
 * last registered runs first, so what was started in a dir is stopped before the dir goes.
 * An afterEach registered from inside a test is never run, hence onTestFinished.
 */
export function whenDone(fn: () => unknown): void {
  if (TestRunner.getCurrentTest()) onTestFinished(async () => void (await fn()));
  else atFileEnd.push(fn);
}

/** Runs the file-level clean-ups, newest first; one that throws does not keep the others from running. */
export async function runFileEnd(): Promise<void> {
  const errors: unknown[] = [];
  for (const fn of atFileEnd.splice(0).reverse()) {
    try {
      await fn();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'clean-ups failed at the end of the test file');
}
