import { useEffect } from 'react';
import { useMonitor, type Connection } from './store';

const connectionLabel: Record<Connection, string> = {
  connecting: 'Connecting to host…',
  online: 'Connected',
  degraded: 'Connected, store unavailable',
  offline: 'Host unreachable',
};

export function App() {
  const { hostUrl, version, connection, error, start } = useMonitor();
  useEffect(() => start(), [start]);

  return (
    <div className="app">
      <header className="bar">
        <h1>CodeTether</h1>
        {version && <span className="version">v{version}</span>}
        <span className={`connection connection-${connection}`} title={error ?? hostUrl} data-testid="connection">
          {connectionLabel[connection]}
        </span>
      </header>
      <main className="empty">
        <h2>No tasks yet</h2>
        <p>Tasks sent to this host over A2A or MCP will appear here{hostUrl ? ` (${hostUrl})` : ''}.</p>
      </main>
    </div>
  );
}
