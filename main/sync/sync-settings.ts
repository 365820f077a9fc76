import { randomBytes } from 'node:crypto';
import type { SyncRepository } from '../store/sync-repository';
import type { RelayTarget } from './relay-link';

/** The pairing a device keeps in its settings table: which relay, which workspace, with what token. */
export type SyncSettings = RelayTarget;

export function readSyncSettings(repo: SyncRepository): SyncSettings | undefined {
  const url = repo.setting('url');
  const workspace = repo.setting('workspace');
  const token = repo.setting('token');
  return url && workspace && token ? { url, workspace, token } : undefined;
}

/**
 * Stores a pairing. Joining another workspace (or relay) forgets the documents of the old one,
 * so this device's sessions are written afresh into the new one.
 */
export function writeSyncSettings(repo: SyncRepository, settings: SyncSettings, now: number): void {
  repo.transaction(() => {
    const old = readSyncSettings(repo);
    if (old && (old.url !== settings.url || old.workspace !== settings.workspace)) repo.resetDocs();
    repo.putSetting('url', settings.url, now);
    repo.putSetting('workspace', settings.workspace, now);
    repo.putSetting('token', settings.token, now);
  });
}

/** Leaves the workspace. Synced sessions stay in the tables; the documents go, so a later join starts clean. */
export function clearSyncSettings(repo: SyncRepository): boolean {
  return repo.transaction(() => {
    const had = readSyncSettings(repo) !== undefined;
    for (const key of ['url', 'workspace', 'token']) repo.deleteSetting(key);
    repo.resetDocs();
    return had;
  });
}

/** This data dir's device id: random, made once, kept in the settings table. */
export function deviceId(repo: SyncRepository, now: number): string {
  const existing = repo.setting('device');
  if (existing) return existing;
  const id = `d${randomBytes(9).toString('base64url')}`;
  repo.putSetting('device', id, now);
  return id;
}

/** The longest device name: it shows in lists beside session titles. */
export const DEVICE_NAME_MAX = 64;

/**
 * A device name as the user typed it, trimmed; an error a person can act on when it is empty,
 * too long or holds a control character (it travels to every device of the workspace).
 */
export function checkDeviceName(name: string): { ok: true; name: string } | { ok: false; error: string } {
  const trimmed = name.trim();
  if (!trimmed) return { ok: false, error: 'The device name is empty: give this device a name the other devices will show.' };
  if (trimmed.length > DEVICE_NAME_MAX) return { ok: false, error: `The device name is ${trimmed.length} characters long; at most ${DEVICE_NAME_MAX} are allowed.` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return { ok: false, error: 'The device name holds a control character (a tab or a line break): use plain text.' };
  return { ok: true, name: trimmed };
}

/** The name the user gave this device (kept in the settings table), else `fallback` (the host name). */
export function readDeviceName(repo: SyncRepository, fallback: string): string {
  return repo.setting('name') ?? fallback;
}

export function writeDeviceName(repo: SyncRepository, name: string, now: number): void {
  repo.putSetting('name', name, now);
}

/** A string that changes whenever the pairing does; the host compares it to pick up a join or leave. */
export function settingsKey(settings: SyncSettings | undefined): string {
  return settings ? `${settings.url}\n${settings.workspace}\n${settings.token}` : '';
}
