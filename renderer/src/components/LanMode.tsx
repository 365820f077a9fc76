import { useEffect, useState } from 'react';
import type { SettingsInfo } from '../../../shared/monitor-api';
import { useMonitor } from '../stores/monitor';
import { ErrorAlert } from './ErrorAlert';

const LAN_BIND = '0.0.0.0';
const LOOPBACK_BIND = '127.0.0.1';

/**
 * Settings › Host › LAN mode. The host cannot rebind while it runs, so the switch saves `host` to
 * config.json for the next start and says so; the checkbox shows what the next start will do.
 */
export function LanMode() {
  const { api, host } = useMonitor();
  const [nextBind, setNextBind] = useState<string>();
  const [overridden, setOverridden] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);

  const take = (info: SettingsInfo) => {
    const setting = info.settings.host;
    setNextBind(setting.saved ?? setting.value ?? LOOPBACK_BIND);
    setOverridden(setting.overriddenBy);
  };
  useEffect(() => {
    api?.call('GET /api/settings').then(take, (err: Error) => setError(err.message));
  }, [api]);

  const nextIsLan = nextBind !== undefined && nextBind !== LOOPBACK_BIND && nextBind !== 'localhost' && nextBind !== '::1';
  const toggle = async (lan: boolean) => {
    setError(undefined);
    try {
      take(await api!.call('PUT /api/settings', { body: { host: lan ? LAN_BIND : LOOPBACK_BIND } }));
      setSaved(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <>
      <label className="check">
        <input type="checkbox" checked={nextIsLan} disabled={!api || nextBind === undefined} onChange={(e) => void toggle(e.target.checked)} aria-describedby="lan-note" /> LAN
        mode at the next start
      </label>
      <p id="lan-note" className="warning">
        LAN mode makes this host reachable from other machines on your network (it binds {LAN_BIND}), and then every route but the agent card
        needs a token: create one below before you restart, or this monitor will ask for it. The host cannot switch while running: the choice is
        saved to <code>config.json</code> and applies at the next start. {host?.lan ? 'This host is in LAN mode now.' : 'This host listens on loopback only now.'}
        {saved && ' Saved: restart the host to apply it.'}
        {overridden && <strong> {overridden} wins over config.json.</strong>}
      </p>
      <ErrorAlert message={error} />
    </>
  );
}
