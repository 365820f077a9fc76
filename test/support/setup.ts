// Runs before every test file (vitest `setupFiles`). Hooks registered here come before the
// file's own, so this afterAll runs after the file's afterAll hooks.
import { afterAll, afterEach, vi } from 'vitest';
import type * as Zustand from 'zustand';
import { runFileEnd } from './cleanup';
import { resetStores } from './zustand-stores';

// The renderer's zustand stores are module-level singletons: each test starts from their initial state.
vi.mock('zustand', async (importOriginal) => {
  const actual = await importOriginal<typeof Zustand>();
  const { trackingCreate } = await import('./zustand-stores');
  return { ...actual, create: trackingCreate(actual.create) };
});
afterEach(resetStores);

afterAll(runFileEnd);
