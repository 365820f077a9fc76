import type { CodebaseInfo } from '../../shared/monitor-api';
import type { Codebase } from '../store/codebase-repository';
import type { RemoteCodebaseRow } from '../store/roaming-repository';

/** Newest entry first, then the smaller device id, so every device picks the same one. */
function newestFirst(a: RemoteCodebaseRow, b: RemoteCodebaseRow): number {
  return b.updatedAt - a.updatedAt || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0);
}

/**
 * Every codebase of the workspace by name: this device's own (its path and rules win), and the
 * ones only other devices registered, with no path and the rules of the newest entry. Each
 * device writes only its own entries, so two devices registering one name never conflict; this
 * is where their entries meet.
 */
export function knownCodebases(local: Codebase[], remote: RemoteCodebaseRow[]): CodebaseInfo[] {
  const byName = new Map<string, RemoteCodebaseRow[]>();
  for (const r of remote) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const label = (r: RemoteCodebaseRow) => r.deviceName ?? r.device;
  const elsewhere = (name: string) => (byName.get(name) ?? []).map(label);
  const here = new Set(local.map((c) => c.name));
  const mine: CodebaseInfo[] = local.map((c) => ({ ...c, onThisDevice: true, elsewhere: elsewhere(c.name) }));
  const theirs: CodebaseInfo[] = [...byName]
    .filter(([name]) => !here.has(name))
    .map(([name, entries]) => {
      const pick = [...entries].sort(newestFirst)[0]!;
      return {
        name,
        path: null,
        defaultAgent: pick.defaultAgent,
        allowedAgents: pick.allowedAgents,
        createdAt: pick.updatedAt,
        onThisDevice: false,
        elsewhere: elsewhere(name),
      };
    });
  return [...mine, ...theirs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
