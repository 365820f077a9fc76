import { hostname } from 'node:os';
import type { Logger } from '../host/log';
import { createCodebaseRepository } from '../store/codebase-repository';
import type { Db } from '../store/open';
import { createSyncRepository } from '../store/sync-repository';
import type { TaskEvent } from '../tasks/task-event';
import { startSyncEngine, type SyncEngine, type SyncEngineOptions } from './sync-engine';
import { deviceId, readSyncSettings, settingsKey } from './sync-settings';

export interface SyncStatus {
  /** `not-paired` until `codetether sync join`; then `connected` or `offline` (the workspace index's connection). */
  state: 'not-paired' | 'connected' | 'offline';
  deviceId: string;
  relay?: string;
  workspace?: string;
  /** When a sync round with the relay last completed (ISO 8601). */
  lastSyncedAt?: string;
  /** Local updates not yet confirmed stored by the relay. */
  pending: number;
  lastError?: string;
  docsLoaded: number;
  docsConnected: number;
}

export interface SyncServiceDeps {
  db: Db;
  log: Logger;
  subscribeAll(listener: (event: TaskEvent) => void): () => void;
  options?: Partial<SyncServiceOptions>;
}

export interface SyncServiceOptions extends SyncEngineOptions {
  /** How often the settings table is read for a join or leave made by the CLI while the host runs. */
  settingsPollMs: number;
  /** What other devices call this one; the machine's host name by default. */
  deviceName?: string;
}

const defaults: SyncServiceOptions = { idleMs: 30_000, maxLinks: 64, settingsPollMs: 2_000 };

/**
 * The host's sync: runs an engine while the device is paired, and follows `sync join` / `sync
 * leave` and `codebase add` / `remove` made by the CLI (which write the tables) without a restart.
 */
export function createSyncService(deps: SyncServiceDeps) {
  const repo = createSyncRepository(deps.db);
  const options = { ...defaults, ...deps.options };
  const device = deviceId(repo, Date.now());
  const codebases = createCodebaseRepository(deps.db);
  let engine: SyncEngine | undefined;
  let current = '';

  function apply(): void {
    const settings = readSyncSettings(repo);
    const key = settingsKey(settings);
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
      deviceName: options.deviceName ?? hostname(),
      codebases: codebases.list,
      log: deps.log,
      subscribeAll: deps.subscribeAll,
      options,
    });
    deps.log.info('sync on', { relay: settings.url, workspace: settings.workspace, device });
  }

  apply();
  const poll = setInterval(() => {
    try {
      apply();
      engine?.roam();
    } catch (err) {
      deps.log.warn('could not read the sync settings', { error: (err as Error).message });
    }
  }, options.settingsPollMs);
  poll.unref();

  return {
    deviceId: device,
    status(): SyncStatus {
      const settings = readSyncSettings(repo);
      if (!engine || !settings) return { state: 'not-paired', deviceId: device, pending: repo.pendingCount(), docsLoaded: 0, docsConnected: 0 };
      const s = engine.status();
      return {
        state: s.connected ? 'connected' : 'offline',
        deviceId: device,
        relay: settings.url,
        workspace: settings.workspace,
        lastSyncedAt: s.lastSyncedAt === undefined ? undefined : new Date(s.lastSyncedAt).toISOString(),
        pending: s.pending,
        lastError: s.lastError,
        docsLoaded: s.docsLoaded,
        docsConnected: s.docsConnected,
      };
    },
    /** Disconnects and frees every document; the host calls it before closing the database. */
    stop(): void {
      clearInterval(poll);
      engine?.stop();
      engine = undefined;
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
