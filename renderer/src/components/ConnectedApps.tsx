import { useEffect, useState } from 'react';
import type { OAuthClientInfo, OAuthGrantInfo } from '../../../shared/identity-api';
import { useMonitor } from '../stores/monitor';
import { ErrorAlert } from './ErrorAlert';

/** Apps registered with this host's OAuth server, and the access each was granted, with Revoke. */
export function ConnectedApps() {
  const api = useMonitor((s) => s.api);
  const [clients, setClients] = useState<OAuthClientInfo[]>([]);
  const [grants, setGrants] = useState<OAuthGrantInfo[]>([]);
  const [error, setError] = useState<string>();

  const refresh = async () => {
    const [c, g] = await Promise.all([api!.call('GET /api/oauth/clients'), api!.call('GET /api/oauth/grants')]);
    setClients(c);
    setGrants(g);
  };
  useEffect(() => {
    if (api) refresh().catch((err: Error) => setError(err.message));
  }, [api]);
  const revoke = async (g: OAuthGrantInfo) => {
    if (!confirm(`Revoke what ${g.clientName} was granted? It stops working at once.`)) return;
    try {
      await api!.call('POST /api/oauth/grants/{id}:revoke', { params: { id: g.id } });
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section aria-labelledby="apps-title">
      <h3 id="apps-title">Connected apps</h3>
      <p className="muted small">
        Apps that reach this host through its OAuth server ({clients.length} registered). Register one with{' '}
        <code>codetether oauth client add --name N --redirect-uri URL</code>; MCP clients register themselves.
      </p>
      {grants.length === 0 ? (
        <p className="muted">No app has been granted access.</p>
      ) : (
        <table data-testid="grants">
          <thead>
            <tr>
              <th>App</th>
              <th>Account</th>
              <th>Access</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {grants.map((g) => (
              <tr key={g.id}>
                <td>{g.clientName}</td>
                <td>{g.account}</td>
                <td>{g.resources.map((r) => `${r.resource}: ${r.scopes.join(', ')}`).join('; ')}</td>
                <td>
                  <button type="button" onClick={() => void revoke(g)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorAlert message={error} />
    </section>
  );
}
