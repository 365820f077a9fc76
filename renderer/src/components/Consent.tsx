import { useEffect, useState } from 'react';
import type { ConsentRequest } from '../../../shared/identity-api';
import { useMonitor } from '../stores/monitor';
import { MonitorToken } from './MonitorToken';
import { SignIn } from './SignIn';
import { ErrorAlert } from './ErrorAlert';

const scopeWords: Record<string, string> = {
  read: 'read your tasks and sessions',
  a2a: 'send tasks to your agents and read them',
  mcp: 'use the MCP tools (send tasks, register codebases)',
  worker: 'run tasks for this host as a remote worker',
  admin: 'everything, including tokens, codebases and settings',
};

/**
 * The consent screen of this host's OAuth server: an app (Zapier, an MCP client) asks for
 * access; Allow grants what you hold of it and returns to the app, Deny tells the app no.
 */
export function Consent({ uid }: { uid: string }) {
  const { api, connection } = useMonitor();
  const [request, setRequest] = useState<ConsentRequest>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!api) return;
    setError(undefined);
    api.call('GET /api/oauth/consent/{uid}', { params: { uid } }).then(setRequest, (err: Error) => setError(err.message));
  }, [api, uid]);

  const answer = async (approve: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const { redirectTo } = await api!.call('POST /api/oauth/consent/{uid}', { params: { uid }, body: { approve } });
      location.assign(redirectTo);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <section className="view consent" aria-labelledby="consent-title">
      <h2 id="consent-title">{request ? `Allow ${request.client.name} to use CodeTether?` : 'An app asks for access'}</h2>
      {connection === 'refused' && !request && (
        <div className="stack">
          <p>Sign in (or give this browser a token) to answer the app.</p>
          <SignIn returnTo={location.hash} />
          <MonitorToken />
        </div>
      )}
      {request && (
        <div className="stack" data-testid="consent">
          <p>
            <strong>{request.client.name}</strong> <span className="muted small">({request.client.id})</span> asks to act as{' '}
            <strong>{request.account}</strong>. It will be able to:
          </p>
          {request.resources.map((r) => (
            <div key={r.resource}>
              <p className="small muted">On {r.label}:</p>
              <ul>
                {r.scopes.map((s) => (
                  <li key={s} className={request.notHeld.includes(s) ? 'muted' : undefined}>
                    <code>{s}</code>: {scopeWords[s] ?? s}
                    {request.notHeld.includes(s) ? ' (you do not hold this; it will not be granted)' : ''}
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <p className="small muted">
            After you answer, your browser goes back to <code>{request.redirectUri}</code>. You can revoke the access any time under Settings ›
            Connected apps, or with <code>codetether oauth grant revoke</code>.
          </p>
          <div className="row">
            <button type="button" onClick={() => void answer(true)} disabled={busy} data-testid="consent-allow">
              Allow
            </button>
            <button type="button" onClick={() => void answer(false)} disabled={busy} data-testid="consent-deny">
              Deny
            </button>
          </div>
        </div>
      )}
      <ErrorAlert message={error} />
    </section>
  );
}
