import { hostname } from 'node:os';
import type { SyncStatus } from '../../shared/monitor-api';
import type { Logger } from '../base/log';
import type { CodebaseRepository } from '../store/codebase-repository';
import type { SyncRepository } from '../store/sync-repository';
import type { TaskEvent } from '../tasks/task-event';
import { startSyncEngine, type SyncEngine, type SyncEngineOptions } from './sync-engine';
import { join } from './pairing';
import { clearSyncSettings, deviceId, readDeviceName, readSyncSettings, settingsKey, writeDeviceName, type SyncSettings } from './sync-settings';

export interface SyncServiceDeps {
  repo: SyncRepository;
  codebases: Pick<CodebaseRepository, 'list'>;
  log: Logger;
  subscribeAll(listener: (event: TaskEvent) => void): () => void;
  options?: Partial<SyncServiceOptions>;
}

export interface SyncServiceOptions extends SyncEngineOptions {
  /** How often the settings table is read for a join or leave made by the CLI while the host runs. */
  settingsPollMs: number;
  /** What other devices call this one until the user names it; the machine's host name by default. */
  deviceName?: string;
}

const defaults: SyncServiceOptions = { idleMs: 30_000, maxLinks: 64, settingsPollMs: 2_000 };

export interface SyncService {
  readonly deviceId: string;
  status(): SyncStatus;
  /** `POST /api/sync/join`: stores the pairing as `codetether sync join` does, and starts on it now rather than at the next poll. */
  join(settings: SyncSettings): SyncStatus;
  /** `POST /api/sync/leave`; false when the device was not paired. */
  leave(): boolean;
  /**
   * `PUT /api/sync/device`: what the other devices call this one (a checked name, see
   * checkDeviceName). Kept in the data dir; the workspace learns it at once when paired.
   */
  rename(name: string): SyncStatus;
  /** Disconnects and frees every document; the host calls it before closing the database. */
  stop(): void;
}

/**
 * The host's sync: runs an engine while the device is paired, and follows `sync join` / `sync
 * leave` and `codebase add` / `remove` made by the CLI (which write the tables) without a restart.
 */
export function createSyncService(deps: SyncServiceDeps): SyncService {
  const { repo, codebases } = deps;
  const options = { ...defaults, ...deps.options };
  const device = deviceId(repo, Date.now());
  const fallbackName = options.deviceName ?? hostname();
  const deviceName = () => readDeviceName(repo, fallbackName);
  let engine: SyncEngine | undefined;
  let current = '';

  function apply(): void {
    const settings = readSyncSettings(repo);
    const name = deviceName();
    // A new name restarts the engine, which publishes it into the workspace index as it starts.
    const key = `${settingsKey(settings)}\n${name}`;
    if (key === current) return;
    current = key;
    engine?.stop();
    engine = undefined;
    if (!settings) {
      deps.log.info('sync off: this device is not paired with a relay');
      return;
    }
    engine = startSyncEngine({
      repo,
      target: settings,
      deviceId: device,
      deviceName: name,
      codebases: codebases.list,
      log: deps.log,
      subscribeAll: deps.subscribeAll,
      options,
    });
    deps.log.info('sync on', { relay: settings.url, workspace: settings.workspace, device });
  }

  function refresh(): void {
    apply();
    engine?.roam();
  }

  apply();
  const poll = setInterval(() => {
    try {
      refresh();
    } catch (err) {
      deps.log.warn('could not read the sync settings', { error: (err as Error).message });
    }
  }, options.settingsPollMs);
  poll.unref();

  function status(): SyncStatus {
    const settings = readSyncSettings(repo);
    if (!engine || !settings) return { state: 'not-paired', deviceId: device, deviceName: deviceName(), pending: repo.pendingCount(), docsLoaded: 0, docsConnected: 0, docsWaiting: 0 };
    const s = engine.status();
    return {
      state: s.connected ? 'connected' : 'offline',
      deviceId: device,
      deviceName: deviceName(),
      relay: settings.url,
      workspace: settings.workspace,
      lastSyncedAt: s.lastSyncedAt === undefined ? undefined : new Date(s.lastSyncedAt).toISOString(),
      pending: s.pending,
      lastError: s.lastError,
      docsLoaded: s.docsLoaded,
      docsConnected: s.docsConnected,
      docsWaiting: s.docsWaiting,
    };
  }

  return {
    deviceId: device,
    status,
    join(settings) {
      join(repo, settings, Date.now());
      refresh();
      return status();
    },
    rename(name) {
      writeDeviceName(repo, name, Date.now());
      refresh();
      return status();
    },
    leave() {
      const had = clearSyncSettings(repo);
      refresh();
      return had;
    },
    stop() {
      clearInterval(poll);
      engine?.stop();
      engine = undefined;
    },
  };
}
