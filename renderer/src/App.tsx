import { useEffect } from 'react';
import { Audit } from './components/Audit';
import { Codebases } from './components/Codebases';
import { Consent } from './components/Consent';
import { Composer } from './components/Composer';
import { MonitorToken } from './components/MonitorToken';
import { Overview } from './components/Overview';
import { RalphBoard } from './components/RalphBoard';
import { RalphRuns } from './components/RalphRuns';
import { SessionView, Sessions } from './components/Sessions';
import { Settings } from './components/Settings';
import { SignIn, SignInFailed, SignInLanding } from './components/SignIn';
import { TaskView } from './components/TaskView';
import { followDesktopEvents } from './lib/desktop-events';
import { useMonitor, type Connection } from './stores/monitor';
import { routeHref, useRoute, type Route } from './stores/route';

const connectionLabel: Record<Connection, string> = {
  connecting: 'Connecting…',
  online: 'Live',
  offline: 'Disconnected',
  refused: 'Token needed',
};

const nav: { route: Route; label: string }[] = [
  { route: { view: 'overview' }, label: 'Overview' },
  { route: { view: 'send' }, label: 'Send' },
  { route: { view: 'sessions' }, label: 'Sessions' },
  { route: { view: 'ralph' }, label: 'Ralph' },
  { route: { view: 'codebases' }, label: 'Codebases' },
  { route: { view: 'audit' }, label: 'Audit' },
  { route: { view: 'settings' }, label: 'Settings' },
];

function isCurrent(item: Route, route: Route): boolean {
  if (item.view === 'overview') return route.view === 'overview' || route.view === 'task';
  if (item.view === 'sessions') return route.view === 'sessions' || route.view === 'session';
  if (item.view === 'ralph') return route.view === 'ralph' || route.view === 'ralph-run';
  return item.view === route.view;
}

function View({ route }: { route: Route }) {
  switch (route.view) {
    case 'task':
      return <TaskView id={route.id} />;
    case 'sessions':
      return <Sessions />;
    case 'session':
      return <SessionView id={route.id} />;
    case 'codebases':
      return <Codebases />;
    case 'send':
      return (
        <section className="view" aria-labelledby="send-title">
          <h2 id="send-title">Send a task</h2>
          <Composer contextId={route.contextId} />
        </section>
      );
    case 'settings':
      return <Settings />;
    case 'ralph':
      return <RalphRuns />;
    case 'ralph-run':
      return <RalphBoard id={route.id} />;
    case 'audit':
      return <Audit />;
    case 'consent':
      return <Consent uid={route.uid} />;
    case 'signin':
      return <SignInLanding handoff={route.handoff} />;
    case 'signin-failed':
      return <SignInFailed reason={route.reason} />;
    default:
      return <Overview />;
  }
}

export function App() {
  const { hostUrl, appVersion, host, connection, loaded, error, start, account } = useMonitor();
  const { route, listen } = useRoute();
  useEffect(() => start(), [start]);
  useEffect(() => listen(), [listen]);
  useEffect(() => followDesktopEvents(), []);
  const version = appVersion ?? host?.version;

  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="bar">
        <h1>CodeTether</h1>
        {version && <span className="version">v{version}</span>}
        <nav aria-label="Main">
          {nav.map((item) => (
            <a key={item.label} href={routeHref(item.route)} aria-current={isCurrent(item.route, route) ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        {account && <SignIn />}
        <span className={`connection connection-${connection}`} title={error ?? hostUrl} data-testid="connection">
          {connectionLabel[connection]}
        </span>
      </header>
      {connection === 'offline' && (
        <div className="banner" role="alert" data-testid="disconnected">
          Disconnected from the host{hostUrl ? ` at ${hostUrl}` : ''}; reconnecting by itself.{loaded ? ' What you see may be out of date.' : ''}
        </div>
      )}
      {connection === 'refused' && route.view !== 'consent' && route.view !== 'signin' && (
        <div className="banner" role="alert" data-testid="token-needed">
          <p>
            <strong>Token needed.</strong> The host at {hostUrl} answers only requests that carry an access token. Sign in, or paste one to
            connect.
          </p>
          {error && <p className="small">The host says: {error}</p>}
          <SignIn />
          <MonitorToken />
        </div>
      )}
      <main id="main" tabIndex={-1}>
        <View route={route} />
      </main>
    </div>
  );
}
