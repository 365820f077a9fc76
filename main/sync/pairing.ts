import { WORKSPACE_PATTERN } from '../../shared/sync-names';
import type { SyncRepository } from '../store/sync-repository';
import { deviceId, writeSyncSettings, type SyncSettings } from './sync-settings';

export type PairingCheck = { ok: true; settings: SyncSettings } | { ok: false; error: string };

export const workspaceRule = '1-64 characters, letters, digits, ".", "_" or "-", starting with a letter or digit';

/** The relay URL as stored: ws:// or wss://, no query or fragment, no trailing slash. */
function relayUrl(text: string): { ok: true; url: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `"${text}" is not a URL; give the relay as ws://host:port or wss://host.` };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { ok: false, error: `The relay URL must start with ws:// or wss://, not ${url.protocol}//.` };
  if (url.search || url.hash) return { ok: false, error: 'The relay URL takes no query or fragment; pass the token separately.' };
  return { ok: true, url: url.href.replace(/\/+$/, '') };
}

/** Checks a pairing the way `codetether sync join` and `POST /api/sync/join` both need it. */
export function checkPairing(input: { url?: string; workspace?: string; token?: string }): PairingCheck {
  if (!input.url) return { ok: false, error: 'The relay URL is required: ws://host:port or wss://host.' };
  const url = relayUrl(input.url.trim());
  if (!url.ok) return url;
  const workspace = input.workspace?.trim();
  if (!workspace || !WORKSPACE_PATTERN.test(workspace)) return { ok: false, error: `The workspace is required: ${workspaceRule}.` };
  const token = input.token?.trim();
  if (!token) return { ok: false, error: 'The relay token is required ("codetether-relay token create --workspace W" prints one).' };
  return { ok: true, settings: { url: url.url, workspace, token } };
}

/** Stores the pairing; a running host picks it up at its next settings read. Returns this device's id. */
export function join(repo: SyncRepository, settings: SyncSettings, now: number): string {
  writeSyncSettings(repo, settings, now);
  return deviceId(repo, now);
}
