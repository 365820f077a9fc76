#!/usr/bin/env node
// The `codetether` executable. It runs the TypeScript sources through tsx so a fresh
// clone works after `npm install` alone, with no build step between edit and run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
