import { useId, useState, type FormEvent } from 'react';
import { useMonitor } from '../stores/monitor';

/** The bearer token this browser sends to the host, kept in this browser only (localStorage). */
export function MonitorToken() {
  const { token, setToken } = useMonitor();
  const [draft, setDraft] = useState('');
  const id = useId();
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.trim()) return;
    setToken(draft);
    setDraft('');
  };
  return (
    <form className="monitor-token" onSubmit={save} aria-label="Access token for this browser">
      <label htmlFor={id}>Access token</label>
      <div className="row">
        <input
          id={id}
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={token ? 'A token is set; paste another to replace it' : 'ct_…'}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          data-testid="monitor-token"
        />
        <button type="submit" disabled={!draft.trim()}>
          Use token
        </button>
        {token && (
          <button type="button" onClick={() => setToken('')}>
            Forget token
          </button>
        )}
      </div>
      <p className="muted small">
        Sent as <code>Authorization: Bearer</code> on every request to this host and stored in this browser only. Create one under Tokens
        (with <code>read</code>, and <code>admin</code> to change codebases and tokens) or with <code>codetether token create</code> on the
        host.
      </p>
    </form>
  );
}
