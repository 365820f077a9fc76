import type { Codebase } from '../store/codebase-repository';
import { LOCAL } from './materialize';
import { CODEBASES, DEVICES, type CodebaseEntry, type DeviceEntry } from './records';
import type { StoredDoc } from './stored-doc';

/**
 * Makes this device's keys of the index match its codebases table and its display name: adds
 * and rewrites what differs, deletes what it no longer has. Run again and again (the CLI edits
 * the table behind the host's back); an unchanged table writes nothing, so the index does not
 * grow. Returns whether anything was written.
 */
export function publishRoaming(index: StoredDoc, deviceId: string, deviceName: string, codebases: Codebase[], now: number): boolean {
  const { doc } = index;
  const entries = doc.getMap<CodebaseEntry>(CODEBASES);
  const devices = doc.getMap<DeviceEntry>(DEVICES);
  const prefix = `${deviceId}/`;
  const wanted = new Map(codebases.map((c) => [`${prefix}${c.name}`, c]));
  const stale = [...entries.keys()].filter((key) => key.startsWith(prefix) && !wanted.has(key));
  const changed = [...wanted].filter(([key, c]) => {
    const prev = entries.get(key);
    return !prev || prev.defaultAgent !== c.defaultAgent || JSON.stringify(prev.allowedAgents) !== JSON.stringify(c.allowedAgents);
  });
  const renamed = devices.get(deviceId)?.name !== deviceName;
  if (stale.length === 0 && changed.length === 0 && !renamed) return false;
  doc.transact(() => {
    if (renamed) devices.set(deviceId, { name: deviceName, updatedAt: now });
    for (const key of stale) entries.delete(key);
    for (const [key, c] of changed) entries.set(key, { name: c.name, defaultAgent: c.defaultAgent, allowedAgents: c.allowedAgents, updatedAt: now, device: deviceId });
  }, LOCAL);
  return true;
}
