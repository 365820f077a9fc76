import { useEffect, useState } from 'react';
import type { CodebaseInfo } from '../../../shared/monitor-api';
import { useMonitor } from '../stores/monitor';

const POLL_MS = 3_000;

/**
 * Codebases other devices of the sync workspace registered and this one has not: known by name
 * only, since a path means nothing on another machine. "Register here" fills in the name.
 */
export function RemoteCodebases({ onRegister }: { onRegister(name: string): void }) {
  const api = useMonitor((s) => s.api);
  // Refetched whenever this device's own list changes (an add here removes a name from this
  // list), and polled: other devices' registrations arrive through sync, not the live feed.
  const local = useMonitor((s) => s.codebases);
  const [remote, setRemote] = useState<CodebaseInfo[]>([]);
  useEffect(() => {
    const load = () => api?.call('GET /api/codebases').then((all) => setRemote(all.filter((c) => !c.onThisDevice)), () => setRemote([]));
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [api, local]);
  if (remote.length === 0) return null;
  return (
    <section aria-labelledby="remote-codebases-title">
      <h3 id="remote-codebases-title">On your other devices</h3>
      <ul className="codebases">
        {remote.map((c) => (
          <li key={c.name} data-testid={`remote-codebase-${c.name}`}>
            <strong>{c.name}</strong> <span className="muted">on {c.elsewhere.join(', ')}, not on this device</span>
            <button type="button" onClick={() => onRegister(c.name)}>
              Register here
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
