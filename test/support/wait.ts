type Read<T> = () => T | Promise<T>;

/**
 * Polls `read` until `check` holds for its value, or, without a check, until the value is
 * truthy; resolves with that value. On timeout it throws, naming `what` and the last value seen.
 * Imports nothing of vitest, so the benchmarks use it too.
 */
export function waitFor<T>(read: Read<T>, timeoutMs?: number, what?: string): Promise<NonNullable<T>>;
export function waitFor<T>(read: Read<T>, check: (value: T) => boolean, timeoutMs?: number, what?: string): Promise<T>;
export async function waitFor<T>(read: Read<T>, ...rest: unknown[]): Promise<T> {
  const check = typeof rest[0] === 'function' ? (rest.shift() as (value: T) => boolean) : Boolean;
  const [timeoutMs = 5000, what = 'a condition'] = rest as [number?, string?];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
