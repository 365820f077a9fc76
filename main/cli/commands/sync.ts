import type { SyncStatus } from '../../../shared/monitor-api';
import { loadConfig } from '../../base/config';
import { readRuntime } from '../../base/runtime-file';
import type { Config } from '../../base/config-schema';
import { storeFlags, storeFlagsUsage, withHostDatabase } from '../host-database';
import { runSubcommand, type Subcommand } from '../subcommands';
import { createSyncRepository, type SyncRepository } from '../../store/sync-repository';
import { checkPairing, join } from '../../sync/pairing';
import { clearSyncSettings, deviceId, readSyncSettings } from '../../sync/sync-settings';
import type { CliIo, Command } from '../command';
import { auditFromCli } from '../cli-audit';
import { parseFlags } from '../flags';
import { UsageError } from '../usage-error';

const STATUS_TIMEOUT_MS = 3_000;

function withRepo<T>(values: { 'data-dir'?: string; config?: string }, use: (repo: SyncRepository, config: Config) => T): T {
  return withHostDatabase(values, (db, config) => use(createSyncRepository(db), config));
}

async function joinWorkspace(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, { ...storeFlags, workspace: { type: 'string' }, token: { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError('join takes the relay URL.');
  const checked = checkPairing({ url: positionals[0], workspace: values.workspace, token: values.token });
  if (!checked.ok) throw new UsageError(checked.error);
  const { url, workspace } = checked.settings;
  const device = withHostDatabase(values, (db, config) => {
    const id = join(createSyncRepository(db), checked.settings, Date.now());
    auditFromCli(db, config, { action: 'sync.joined', subject: workspace, detail: { relay: url } });
    return id;
  });
  io.err(`Joined workspace "${workspace}" at ${url} as device ${device}. A running host picks this up within seconds; otherwise at its next start.`);
  return 0;
}

async function leave(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, storeFlags);
  const had = withHostDatabase(values, (db, config) => {
    const repo = createSyncRepository(db);
    const was = readSyncSettings(repo);
    const left = clearSyncSettings(repo);
    if (left) auditFromCli(db, config, { action: 'sync.left', subject: was?.workspace ?? '', detail: { relay: was?.url ?? null } });
    return left;
  });
  io.err(had ? 'Left the workspace. Synced sessions stay on this device; nothing syncs until the next "codetether sync join".' : 'This device is not in a workspace.');
  return 0;
}

/** The host running on this data dir (its runtime file), else where the config says it listens. */
function hostBase(config: Config): string {
  const running = readRuntime(config.dataDir);
  if (running) return running.origin;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

type HostAnswer = { kind: 'status'; status: SyncStatus } | { kind: 'not-running' } | { kind: 'error'; message: string };

async function askHost(base: string, token: string | undefined): Promise<HostAnswer> {
  let res: Response;
  try {
    res = await fetch(`${base}/sync/status`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(STATUS_TIMEOUT_MS),
    });
  } catch {
    return { kind: 'not-running' };
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    return { kind: 'error', message: `the host at ${base} answered ${res.status}: ${body.error?.message ?? res.statusText}` };
  }
  return { kind: 'status', status: (await res.json()) as SyncStatus };
}

function describe(status: SyncStatus): string {
  if (status.state === 'not-paired') return `Not in a workspace (device ${status.deviceId}). Pair with "codetether sync join URL --workspace W --token T".`;
  const lines = [
    `Sync:         ${status.state}`,
    `Relay:        ${status.relay}`,
    `Workspace:    ${status.workspace}`,
    `Device:       ${status.deviceName} (${status.deviceId})`,
    `Last synced:  ${status.lastSyncedAt ?? 'never'}`,
    `Waiting:      ${status.pending} update${status.pending === 1 ? '' : 's'} not yet confirmed by the relay`,
    `Documents:    ${status.docsWaiting} session${status.docsWaiting === 1 ? '' : 's'} not synced yet, ${status.docsConnected} connected`,
  ];
  if (status.lastError) lines.push(`Last error:   ${status.lastError}`);
  return lines.join('\n');
}

async function status(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, { ...storeFlags, 'host-url': { type: 'string' }, 'host-token': { type: 'string' }, json: { type: 'boolean' } });
  const config = loadConfig({ configFile: values.config, flags: { dataDir: values['data-dir'] } });
  const base = (values['host-url'] ?? hostBase(config)).replace(/\/+$/, '');
  const answer = await askHost(base, values['host-token'] ?? process.env.CODETETHER_TOKEN);
  if (answer.kind === 'error') {
    io.err(`codetether sync: ${answer.message}`);
    return 1;
  }
  if (answer.kind === 'status') {
    io.out(values.json ? JSON.stringify(answer.status, null, 2) : describe(answer.status));
    return 0;
  }
  const stored = withRepo(values, (repo) => ({ settings: readSyncSettings(repo), device: deviceId(repo, Date.now()), pending: repo.pendingCount() }));
  if (values.json) {
    io.out(JSON.stringify({ hostRunning: false, relay: stored.settings?.url, workspace: stored.settings?.workspace, deviceId: stored.device, pending: stored.pending }, null, 2));
    return 0;
  }
  io.out(
    stored.settings
      ? `Host not running (nothing answered at ${base}).\nRelay:        ${stored.settings.url}\nWorkspace:    ${stored.settings.workspace}\nDevice:       ${stored.device}\nWaiting:      ${stored.pending} update${stored.pending === 1 ? '' : 's'} not yet confirmed by the relay`
      : `Host not running (nothing answered at ${base}). Not in a workspace.`,
  );
  return 0;
}

const subcommands: Record<string, Subcommand> = { join: joinWorkspace, leave, status };

export const syncCommand: Command = {
  name: 'sync',
  summary: 'Pair this device with a relay workspace, leave it, or show sync status',
  usage: `codetether sync <join|leave|status> [options]

  codetether sync join URL --workspace W --token T
      URL          the relay, ws://host:port or wss://host
      --workspace  the workspace to join (the relay token's workspace)
      --token      a relay token ("codetether-relay token create --workspace W" prints one)
  codetether sync leave
  codetether sync status [--json] [--host-url http://127.0.0.1:8000] [--host-token ct_...]
      asks the running host (GET /sync/status; token also from CODETETHER_TOKEN),
      else prints the stored pairing and "host not running"

${storeFlagsUsage}`,
  run: (argv, io) => runSubcommand(subcommands, argv, io),
};
