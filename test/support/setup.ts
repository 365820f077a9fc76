// Runs before every test file (vitest `setupFiles`). Hooks registered here come before the
// file's own, so this afterAll runs after the file's afterAll hooks.
import { afterAll } from 'vitest';
import { runFileEnd } from './cleanup';

afterAll(runFileEnd);
