import { useEffect, useState, type FormEvent } from 'react';
import type { CreatedToken, TokenInfo } from '../../../shared/monitor-api';
import { useMonitor } from '../stores/monitor';
import { CopyButton } from './CopyButton';
import { ErrorAlert } from './ErrorAlert';

const scopeChoices = [
  ['a2a', 'send and read A2A tasks'],
  ['mcp', 'the MCP endpoint (IDEs)'],
  ['read', 'read-only'],
  ['worker', 'remote workers'],
  ['hooks', 'REST hooks (Zapier and other automation)'],
  ['admin', 'everything'],
] as const;

export function Tokens() {
  const api = useMonitor((s) => s.api);
  // undefined until read, so the empty-table line never flashes before the list.
  const [tokens, setTokens] = useState<TokenInfo[]>();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['a2a', 'mcp']);
  const [created, setCreated] = useState<CreatedToken>();
  const [error, setError] = useState<string>();

  const refresh = async () => setTokens(await api!.call('GET /api/tokens'));
  useEffect(() => {
    api?.call('GET /api/tokens').then(setTokens, (err: Error) => setError(err.message));
  }, [api]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      setCreated(await api!.call('POST /api/tokens', { body: { name, scopes } }));
      setName('');
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const revoke = async (t: TokenInfo) => {
    if (!confirm(`Revoke token "${t.name}"? Clients using it stop working at once.`)) return;
    try {
      await api!.call('POST /api/tokens/{id}:revoke', { params: { id: t.id } });
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section aria-labelledby="tokens-title">
      <h3 id="tokens-title">Tokens</h3>
      <form onSubmit={(e) => void create(e)} aria-label="Create a token" className="stack">
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="laptop-cursor" data-testid="token-name" />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {scopeChoices.map(([scope, what]) => (
            <label key={scope} className="check">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
              />{' '}
              {scope} <span className="muted">({what})</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={!name.trim() || scopes.length === 0}>
          Create token
        </button>
      </form>
      <ErrorAlert message={error} />
      {created && (
        <div className="once" role="status" data-testid="new-token">
          <p>
            Token <strong>{created.info.name}</strong> created. Copy it now: it is shown only this once.
          </p>
          <code className="secret">{created.token}</code> <CopyButton text={created.token} />
          <button type="button" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </div>
      )}
      <table className="tokens">
        <caption className="sr-only">Tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(tokens ?? []).map((t) => (
            <tr key={t.id} data-testid={`token-${t.name}`}>
              <td>{t.name}</td>
              <td>{t.scopes.join(', ')}</td>
              <td>{new Date(t.createdAt).toLocaleString()}</td>
              <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'}</td>
              <td>{t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt < Date.now() ? 'expired' : 'active'}</td>
              <td>
                {!t.revokedAt && (
                  <button type="button" className="danger" onClick={() => void revoke(t)} aria-label={`Revoke token ${t.name}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
          {tokens?.length === 0 && (
            <tr>
              <td colSpan={6} className="muted" data-testid="tokens-empty">
                No tokens yet. Create one above for an A2A client, a remote worker or another device.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
