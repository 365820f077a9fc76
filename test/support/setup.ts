// Runs before every test file (vitest `setupFiles`). Hooks registered here come before the
// file's own, so this afterAll runs after the file's afterAll hooks have stopped what they started.
import { afterAll } from 'vitest';
import { removeFileDirs } from './temp-dir';

afterAll(removeFileDirs);
