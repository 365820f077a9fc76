import { useEffect, useState } from 'react';
import { useMonitor } from '../stores/monitor';
import { AgentSettings } from './AgentSettings';
import { ConnectedApps } from './ConnectedApps';
import { EmailSettings } from './EmailSettings';
import { IdeSetup } from './IdeSetup';
import { LanMode } from './LanMode';
import { MonitorToken } from './MonitorToken';
import { OpenAtLogin } from './OpenAtLogin';
import { SignIn } from './SignIn';
import { SyncSettings } from './SyncSettings';
import { Tokens } from './Tokens';

/** The page's sections by their heading ids; the desktop one shows only in the app. */
const sections = [
  ['host-title', 'Host'],
  ['agent-settings-title', 'Agents'],
  ['tokens-title', 'Tokens'],
  ['ide-title', 'IDE setup'],
  ['desktop-title', 'Desktop app'],
  ['sync-title', 'Sync'],
  ['email-title', 'Email'],
] as const;

/**
 * Jumps to a section. The hash holds the route (#/settings), so a fragment link would leave the
 * page: the heading is scrolled to and focused instead, which also moves a screen reader there.
 */
function SectionNav() {
  const [present, setPresent] = useState<string[]>([]);
  useEffect(() => setPresent(sections.filter(([id]) => document.getElementById(id)).map(([id]) => id)), []);
  const jump = (id: string) => {
    const heading = document.getElementById(id);
    if (!heading) return;
    heading.tabIndex = -1;
    heading.scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  };
  return (
    <nav className="section-nav" aria-label="Settings sections">
      {sections
        .filter(([id]) => present.includes(id))
        .map(([id, label]) => (
          <button key={id} type="button" className="link" onClick={() => jump(id)}>
            {label}
          </button>
        ))}
    </nav>
  );
}

export function Settings() {
  const { host, hostUrl } = useMonitor();
  return (
    <section className="view" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <SectionNav />
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
      <SignIn />
      <MonitorToken />
      <Tokens />
      <ConnectedApps />
      <IdeSetup />
      <OpenAtLogin />
      <SyncSettings />
      <EmailSettings />
    </section>
  );
}
