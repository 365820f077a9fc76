import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { SyncJoinRequest, SyncStatus } from '../../../shared/monitor-api';
import { formatAge } from '../lib/format';
import { useNow } from '../lib/use-now';
import { useMonitor } from '../stores/monitor';
import { ErrorAlert } from './ErrorAlert';

/** The status changes without a feed event (the relay comes and goes), so it is polled while shown. */
const POLL_MS = 2_000;

const stateLabel: Record<SyncStatus['state'], string> = { connected: 'Connected', offline: 'Offline', 'not-paired': 'Not in a workspace' };

/** Renames this device: two machines that share a host name ("vm") can be told apart on the others. */
function DeviceName({ current, busy, onRename }: { current: string; busy: boolean; onRename: (name: string) => Promise<boolean> }) {
  const [draft, setDraft] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await onRename(draft)) setDraft('');
  };
  return (
    <form className="row" onSubmit={(e) => void submit(e)} aria-label="Rename this device">
      <label>
        Device name <input value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={current} maxLength={64} data-testid="device-name-input" />
      </label>
      <button type="submit" disabled={busy || !draft.trim() || draft.trim() === current}>
        Rename
      </button>
    </form>
  );
}

/** Settings › Sync: this device's pairing with a relay workspace, its status, join and leave. */
export function SyncSettings() {
  const api = useMonitor((s) => s.api);
  const [status, setStatus] = useState<SyncStatus>();
  const [form, setForm] = useState<SyncJoinRequest>({ url: '', workspace: '', token: '' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const now = useNow(true);

  const load = useCallback(() => api?.call('GET /sync/status').then(setStatus, (err: Error) => setError(err.message)), [api]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  const act = async (request: () => Promise<SyncStatus>) => {
    setError(undefined);
    setBusy(true);
    try {
      setStatus(await request());
      return true;
    } catch (err) {
      setError((err as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const join = async (e: FormEvent) => {
    e.preventDefault();
    if (await act(() => api!.call('POST /api/sync/join', { body: form }))) setForm({ url: '', workspace: '', token: '' });
  };
  const leave = async () => {
    if (!confirm('Leave the workspace? Synced sessions stay on this device; nothing syncs until you join again.')) return;
    await act(() => api!.call('POST /api/sync/leave'));
  };
  const field = (key: keyof SyncJoinRequest) => ({ value: form[key], onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }) });
  const paired = status && status.state !== 'not-paired';

  return (
    <section aria-labelledby="sync-title">
      <h3 id="sync-title">Sync</h3>
      {status && (
        <dl className="facts">
          <dt>Status</dt>
          <dd data-testid="sync-state">{stateLabel[status.state]}</dd>
          <dt>This device</dt>
          <dd>
            <span data-testid="device-name">{status.deviceName}</span> <span className="muted">({status.deviceId})</span>
            <DeviceName current={status.deviceName} busy={busy} onRename={(name) => act(() => api!.call('PUT /api/sync/device', { body: { name } }))} />
          </dd>
          {paired && (
            <>
              <dt>Relay</dt>
              <dd>
                <code>{status.relay}</code>, workspace <strong>{status.workspace}</strong>
              </dd>
              <dt>Last synced</dt>
              <dd data-testid="sync-last">{status.lastSyncedAt ? formatAge(Date.parse(status.lastSyncedAt), now) : 'never'}</dd>
              <dt>Updates waiting</dt>
              <dd data-testid="sync-pending">{status.pending}</dd>
              {status.lastError && (
                <>
                  <dt>Last error</dt>
                  <dd className="error">{status.lastError}</dd>
                </>
              )}
            </>
          )}
        </dl>
      )}
      {paired ? (
        <button type="button" className="danger" disabled={busy} onClick={() => void leave()}>
          Leave workspace
        </button>
      ) : (
        <form onSubmit={(e) => void join(e)} aria-label="Join a sync workspace" className="stack">
          <p className="muted small">
            Your other devices join the same workspace on the same relay; a token comes from <code>codetether-relay token create --workspace W</code>.
          </p>
          <label>
            Relay URL
            <input {...field('url')} placeholder="wss://relay.example.com" required data-testid="sync-url" />
          </label>
          <label>
            Workspace
            <input {...field('workspace')} placeholder="home" required data-testid="sync-workspace" />
          </label>
          <label>
            Relay token
            <input {...field('token')} type="password" autoComplete="off" required data-testid="sync-token" />
          </label>
          <button type="submit" disabled={busy}>
            Join workspace
          </button>
        </form>
      )}
      <ErrorAlert message={error} />
    </section>
  );
}
