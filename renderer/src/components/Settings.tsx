import { useMonitor } from '../stores/monitor';
import { AgentSettings } from './AgentSettings';
import { IdeSetup } from './IdeSetup';
import { MonitorToken } from './MonitorToken';
import { OpenAtLogin } from './OpenAtLogin';
import { SyncSettings } from './SyncSettings';
import { Tokens } from './Tokens';

export function Settings() {
  const { host, hostUrl } = useMonitor();
  return (
    <section className="view" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <section aria-labelledby="host-title">
        <h3 id="host-title">Host</h3>
        {host && (
          <dl className="facts">
            <dt>Monitor and A2A</dt>
            <dd>
              <code>{hostUrl}</code> (bind {host.bind}, port {host.port})
            </dd>
            <dt>MCP endpoint</dt>
            <dd>{host.mcpUrl ? <code>{host.mcpUrl}</code> : 'not running (its port was taken; see the host log)'}</dd>
            <dt>Version</dt>
            <dd>{host.version}</dd>
          </dl>
        )}
        <label className="check">
          <input type="checkbox" checked={host?.lan ?? false} disabled aria-describedby="lan-note" /> LAN mode
        </label>
        <p id="lan-note" className="warning">
          LAN mode makes this host reachable from other machines on your network, and then every route but the agent card needs a token.
          The host cannot switch it while running: set <code>&quot;host&quot;: &quot;0.0.0.0&quot;</code> in <code>config.json</code> in the data
          dir, create a token below, and restart. {host?.lan ? 'This host is in LAN mode now.' : 'This host listens on loopback only.'}
        </p>
      </section>
      <AgentSettings />
      <MonitorToken />
      <Tokens />
      <IdeSetup />
      <OpenAtLogin />
      <SyncSettings />
    </section>
  );
}
