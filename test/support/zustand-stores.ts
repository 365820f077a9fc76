import type * as Zustand from 'zustand';

type Create = typeof Zustand.create;
type Initializer = Zustand.StateCreator<unknown>;

/** One per store made since the test file started: puts that store back to its initial state. */
const resets = new Set<() => void>();

/**
 * zustand's `create` (both `create(init)` and `create<T>()(init)`), remembering each store's
 * initial state. The setup file swaps it in for the real one (vi.mock), so the renderer's global
 * stores can be put back between tests without any test or store knowing.
 */
export function trackingCreate(create: Create): Create {
  const tracked = (initializer?: Initializer): unknown => {
    if (!initializer) return tracked;
    const store = create(initializer);
    const initial = store.getInitialState();
    resets.add(() => store.setState(initial, true));
    return store;
  };
  return tracked as unknown as Create;
}

/** Every store made through trackingCreate back at its initial state. */
export function resetStores(): void {
  for (const reset of resets) reset();
}
