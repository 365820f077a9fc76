#!/usr/bin/env node
// The `codetether-relay` executable. It runs the TypeScript sources through tsx so the relay
// works from a fresh clone after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
