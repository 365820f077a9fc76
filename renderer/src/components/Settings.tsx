import { useMonitor } from '../stores/monitor';
import { AgentSettings } from './AgentSettings';
import { EmailSettings } from './EmailSettings';
import { IdeSetup } from './IdeSetup';
import { LanMode } from './LanMode';
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
        <LanMode />
      </section>
      <AgentSettings />
      <MonitorToken />
      <Tokens />
      <IdeSetup />
      <OpenAtLogin />
      <SyncSettings />
      <EmailSettings />
    </section>
  );
}
