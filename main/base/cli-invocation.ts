import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CliInvocation {
  /** This installation's runtime and CLI entry, by absolute path: runs from any folder, with nothing on PATH. */
  argv: string[];
  /** What that runtime needs to act as Node (the desktop app's Electron binary does). */
  env: Record<string, string>;
}

/**
 * How another program (an IDE spawning the MCP bridge) starts this installation's own
 * `codetether`; undefined where the CLI is not shipped beside this code (a packaged desktop app's
 * bundle), where snippets use the HTTP transport instead.
 */
export function cliInvocation(): CliInvocation | undefined {
  const bin = fileURLToPath(new URL('../cli/bin.js', import.meta.url));
  if (!existsSync(bin)) return undefined;
  return { argv: [process.execPath, bin], env: process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {} };
}
