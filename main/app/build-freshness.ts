import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What `electron-vite build` writes; all three must exist for the app to start. */
export const buildOutputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

/** What the bundles are made from; a change to any of them makes out/ stale. */
export const buildInputs = ['main', 'preload', 'renderer', 'shared', 'electron.vite.config.ts', 'package.json'];

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** What the monitor page alone is built from: the headless host serves it and needs nothing else of out/. */
const monitorInputs = ['renderer', 'shared', 'electron.vite.config.ts', 'package.json'];

function stale(root: string, outputs: readonly string[], inputs: readonly string[]): boolean {
  const files = outputs.map((file) => join(root, file));
  if (!files.every((file) => existsSync(file))) return true;
  const oldestOutput = Math.min(...files.map((file) => statSync(file).mtimeMs));
  return inputs.some((input) => newestMtime(join(root, input)) > oldestOutput);
}

/** True when out/ is missing a bundle or any source is newer than the oldest bundle. */
export function needsBuild(root: string): boolean {
  return stale(root, buildOutputs, buildInputs);
}

/** True when the monitor page in out/renderer is missing or older than its sources. */
export function needsMonitorBuild(root: string): boolean {
  return stale(root, ['out/renderer/index.html'], monitorInputs);
}
