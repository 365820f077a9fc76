export type Stop = () => void | Promise<void>;

/**
 * What a composition root owns: every start registers its stop here, and `dispose` runs them
 * last-registered first, so a failure at any step of a start stops exactly what already started,
 * in reverse order, and a normal shutdown is the same walk.
 */
export interface LifetimeStack {
  /** Registers the stop of something that just started. */
  defer(name: string, stop: Stop): void;
  /**
   * Runs every registered stop, newest first, each once. A stop that throws is reported and the
   * walk goes on: one stuck part must not keep the database open. Idempotent.
   */
  dispose(): Promise<void>;
}

export function createLifetimeStack(onError: (name: string, err: unknown) => void): LifetimeStack {
  const stops: { name: string; stop: Stop }[] = [];
  let disposing: Promise<void> | undefined;
  return {
    defer(name, stop) {
      if (disposing) throw new Error(`"${name}" started after its owner began to stop`);
      stops.push({ name, stop });
    },
    dispose() {
      disposing ??= (async () => {
        for (let entry = stops.pop(); entry; entry = stops.pop()) {
          try {
            await entry.stop();
          } catch (err) {
            onError(entry.name, err);
          }
        }
      })();
      return disposing;
    },
  };
}
