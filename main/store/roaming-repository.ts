import type { Db } from './open';

/** A codebase another device registered, as its index entry says (no path: paths are per device). */
export interface RemoteCodebase {
  device: string;
  name: string;
  defaultAgent: string | null;
  allowedAgents: string[];
  updatedAt: number;
}

/** A remote codebase with its device's display name, when that device published one. */
export interface RemoteCodebaseRow extends RemoteCodebase {
  deviceName: string | null;
}

interface Row {
  device: string;
  name: string;
  default_agent: string | null;
  allowed_agents: string;
  updated_at: number;
  device_name: string | null;
}

/** What other devices publish about themselves: display names and registered codebases. */
export interface RoamingRepository {
  putDevice(id: string, name: string, updatedAt: number): void;
  putCodebase(c: RemoteCodebase): void;
  removeCodebase(device: string, name: string): void;
  codebases(): RemoteCodebaseRow[];
  /** Forgets every device's entries; the next workspace's index brings its own. */
  clear(): void;
}

export function createRoamingRepository(db: Db): RoamingRepository {
  const s = {
    putDevice: db.prepare(
      'INSERT INTO sync_devices (id, name, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at',
    ),
    putCodebase: db.prepare(
      `INSERT INTO sync_codebases (device, name, default_agent, allowed_agents, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(device, name) DO UPDATE SET default_agent = excluded.default_agent, allowed_agents = excluded.allowed_agents, updated_at = excluded.updated_at`,
    ),
    removeCodebase: db.prepare('DELETE FROM sync_codebases WHERE device = ? AND name = ?'),
    codebases: db.prepare<[], Row>(
      `SELECT c.device, c.name, c.default_agent, c.allowed_agents, c.updated_at, d.name AS device_name
       FROM sync_codebases c LEFT JOIN sync_devices d ON d.id = c.device ORDER BY c.name, c.device`,
    ),
  };
  return {
    putDevice: (id, name, updatedAt) => void s.putDevice.run(id, name, updatedAt),
    putCodebase: (c) => void s.putCodebase.run(c.device, c.name, c.defaultAgent, JSON.stringify(c.allowedAgents), c.updatedAt),
    removeCodebase: (device, name) => void s.removeCodebase.run(device, name),
    codebases: () =>
      s.codebases.all().map((r) => ({
        device: r.device,
        name: r.name,
        defaultAgent: r.default_agent,
        allowedAgents: JSON.parse(r.allowed_agents) as string[],
        updatedAt: r.updated_at,
        deviceName: r.device_name,
      })),
    clear: () => void db.exec('DELETE FROM sync_codebases; DELETE FROM sync_devices;'),
  };
}
