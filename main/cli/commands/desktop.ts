import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { needsBuild, needsMonitorBuild } from '../../app/build-freshness';
import { findElectron } from '../../app/electron-binary';
import { electronNativeDir, electronTarget, isNativeCopyCurrent } from '../../app/native-binding';
import { rebuildSqliteFor } from '../../app/native-rebuild';
import { envName, loadConfig } from '../../base/config';
import type { ConfigKey } from '../../base/config-schema';
import type { CliIo, Command } from '../command';
import { numberOrRaw, parseFlags } from '../flags';
import { UsageError } from '../usage-error';
import { serveCommand } from './serve';

const root = resolve(import.meta.dirname, '..', '..', '..');

const hostFlags = {
  host: { type: 'string' },
  port: { type: 'string' },
  'mcp-port': { type: 'string' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  'log-level': { type: 'string' },
} as const;

function electronVite(): string {
  return join(dirname(createRequire(join(root, 'package.json')).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
}

function buildApp(io: CliIo): void {
  io.err('Building the desktop app (electron-vite build)...');
  const result = spawnSync(process.execPath, [electronVite(), 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('electron-vite build failed; see the output above.');
}

/** Electron's main process reads the same config; flags reach it as CODETETHER_* variables. */
function hostEnv(values: Partial<Record<keyof typeof hostFlags, string>>): NodeJS.ProcessEnv {
  const flags: Partial<Record<ConfigKey, unknown>> = {
    host: values.host,
    port: numberOrRaw(values.port),
    mcpPort: numberOrRaw(values['mcp-port']),
    dataDir: values['data-dir'] && resolve(values['data-dir']),
    logLevel: values['log-level'],
  };
  // Fail here, with the flag named, rather than in an error dialog of a window that never opens.
  loadConfig({ flags, configFile: values.config });
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) env[envName(key)] = String(value);
  if (values.config) env.CODETETHER_CONFIG = resolve(values.config);
  return env;
}

function runChild(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(file, args, { cwd: root, env, stdio: 'inherit' });
  // A signal sent to this process alone (a supervisor, `kill`) must still stop the app cleanly.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolveExit, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolveExit(code ?? (signal ? 1 : 0));
    });
  });
}

export const desktopCommand: Command = {
  name: 'desktop',
  summary: 'Open the desktop app; without the Electron binary, run the host headless',
  usage: `codetether desktop [options]

Options:
  --dev                run from sources with the renderer dev server (electron-vite dev)
  --prepare            build out/ and better-sqlite3 for Electron, then exit (npm run dist does this)
  --host, --port, --mcp-port, --data-dir, --config, --log-level
                       as for "codetether serve", for the host inside the app`,
  async run(argv, io) {
    const { values } = parseFlags(argv, { ...hostFlags, dev: { type: 'boolean' }, prepare: { type: 'boolean' } });
    if (values.dev && values.prepare) throw new UsageError('--dev and --prepare do not go together.');
    const electron = findElectron(root);
    if (!electron) {
      if (values.prepare) throw new Error('The Electron binary is missing: install it (npm install without ELECTRON_SKIP_BINARY_DOWNLOAD) before packaging.');
      io.err('Electron binary is missing (npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD?), so running the headless host instead.');
      // The host serves the built monitor: sources changed since `npm install` built it are built first.
      if (needsMonitorBuild(root)) buildApp(io);
      return serveCommand.run(argv.filter((arg) => arg !== '--dev'), io);
    }

    const env = hostEnv(values);
    const target = electronTarget(root, electron.version);
    const nativeDir = electronNativeDir(root);
    if (!isNativeCopyCurrent(nativeDir, target)) rebuildSqliteFor({ root, outDir: nativeDir, target, say: io.err });

    if (values.dev) return runChild(process.execPath, [electronVite(), 'dev'], env);
    if (needsBuild(root)) buildApp(io);
    if (values.prepare) return 0;
    return runChild(electron.binary, [root], env);
  },
};
