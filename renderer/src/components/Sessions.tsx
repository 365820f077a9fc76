import { useEffect, useState } from 'react';
import type { SessionSummary, TaskJson } from '../../../shared/monitor-api';
import { messageJsonText } from '../../../shared/message-text';
import { formatAge } from '../lib/format';
import { stateFromProto } from '../lib/states';
import { useMonitor } from '../stores/monitor';
import { routeHref } from '../stores/route';
import { Composer } from './Composer';
import { StateBadge } from './StateBadge';

export function Sessions() {
  const api = useMonitor((s) => s.api);
  // Refetched when the feed reports a change in task counts: a new task may be a new session.
  const total = useMonitor((s) => s.total);
  const [sessions, setSessions] = useState<SessionSummary[]>();
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!api) return;
    api.call('GET /api/sessions').then(setSessions, (err: Error) => setError(err.message));
  }, [api, total]);
  const q = query.trim().toLowerCase();
  const shown = (sessions ?? []).filter((s) => !q || s.title.toLowerCase().includes(q) || s.id.startsWith(q));
  const now = Date.now();

  return (
    <section className="view" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <label>
        Search <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </label>
      {error && <p role="alert" className="error">{error}</p>}
      <ul className="sessions">
        {shown.map((s) => (
          <li key={s.id}>
            <a href={routeHref({ view: 'session', id: s.id })}>{s.title || s.id}</a> {s.lastState && <StateBadge state={s.lastState} />}{' '}
            <span className="muted">
              {s.taskCount} task{s.taskCount === 1 ? '' : 's'} · {formatAge(s.updatedAt, now)} · <span data-testid="session-origin">{s.origin ? `from ${s.originName ?? s.origin}` : 'this device'}</span>
            </span>
          </li>
        ))}
        {sessions && shown.length === 0 && <li className="muted">No sessions.</li>}
      </ul>
    </section>
  );
}

export function SessionView({ id }: { id: string }) {
  const a2a = useMonitor((s) => s.a2a);
  const latest = useMonitor((s) => s.tasks.find((t) => t.contextId === id)?.updatedAt);
  const [tasks, setTasks] = useState<TaskJson[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    a2a?.session(id).then(setTasks, (err: Error) => setError(err.message));
  }, [a2a, id, latest]);
  const last = tasks?.at(-1);
  const meta = (last?.metadata ?? {}) as { agent?: string; codebase?: string };

  return (
    <section className="view" aria-labelledby="session-title">
      <p>
        <a href={routeHref({ view: 'sessions' })}>← Sessions</a>
      </p>
      <h2 id="session-title">Session {id.slice(0, 8)}</h2>
      {error && <p role="alert" className="error">{error}</p>}
      <ol className="transcript">
        {(tasks ?? []).map((t) => (
          <li key={t.id}>
            <p>
              <a href={routeHref({ view: 'task', id: t.id })}>Task {t.id.slice(0, 8)}</a> <StateBadge state={stateFromProto(t.status.state)} />
            </p>
            <ul className="messages">
              {(t.history ?? []).map((m) => (
                <li key={m.messageId} className={m.role === 'ROLE_USER' ? 'from-user' : 'from-agent'}>
                  <strong>{m.role === 'ROLE_USER' ? 'You' : 'Agent'}:</strong> {messageJsonText(m)}
                </li>
              ))}
              {t.status.message && !(t.history ?? []).some((m) => m.messageId === t.status.message?.messageId) && (
                <li className="from-agent">
                  <strong>Agent:</strong> {messageJsonText(t.status.message)}
                </li>
              )}
            </ul>
          </li>
        ))}
      </ol>
      <h3>Continue</h3>
      <Composer contextId={id} defaults={meta} />
    </section>
  );
}
