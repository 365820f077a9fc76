import type * as Y from 'yjs';
import type { RoamingRepository } from '../store/roaming-repository';
import { CODEBASES, codebaseEntry, DEVICES, deviceEntry } from './records';

type Parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown, what: string) => T | undefined;

/**
 * Turns other devices' `codebases` and `devices` entries of the index into rows. A deleted key
 * removes its row; keys this device wrote are skipped (its own codebases are the `codebases` table).
 */
export function materializeRoaming(doc: Y.Doc, deviceId: string, isRemote: (origin: unknown) => boolean, parse: Parse) {
  const codebases = doc.getMap(CODEBASES);
  const devices = doc.getMap(DEVICES);
  let codebaseKeys = new Set<string>();
  let deviceKeys = new Set<string>();

  codebases.observe((event) => {
    if (!isRemote(event.transaction.origin)) return;
    for (const key of event.keysChanged) if (!key.startsWith(`${deviceId}/`)) codebaseKeys.add(key);
  });
  devices.observe((event) => {
    if (!isRemote(event.transaction.origin)) return;
    for (const key of event.keysChanged) if (key !== deviceId) deviceKeys.add(key);
  });

  return (roaming: RoamingRepository): void => {
    for (const key of deviceKeys) {
      const entry = parse(deviceEntry, devices.get(key), 'device entry');
      if (entry) roaming.putDevice(key, entry.name, entry.updatedAt);
    }
    for (const key of codebaseKeys) {
      const slash = key.indexOf('/');
      const value = codebases.get(key);
      if (value === undefined) {
        if (slash > 0) roaming.removeCodebase(key.slice(0, slash), key.slice(slash + 1));
        continue;
      }
      const entry = parse(codebaseEntry, value, 'codebase entry');
      if (entry && entry.device === key.slice(0, slash) && entry.name === key.slice(slash + 1)) roaming.putCodebase(entry);
    }
    codebaseKeys = new Set();
    deviceKeys = new Set();
  };
}
