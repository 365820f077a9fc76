// The sandbox worker's entry. It runs the TypeScript source through tsx, as main/cli/bin.js and
// the pty host do, so the worker needs no build step either.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
