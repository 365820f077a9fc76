// The pty host's process entry. It runs the TypeScript source through tsx, as main/cli/bin.js
// does, so the child needs no build step either.
import { register } from 'tsx/esm/api';

register();
await import('./host-process.ts');
