import { useEffect, useState } from 'react';
import type { SessionSummary, TaskJson } from '../../../shared/monitor-api';
import { messageJsonText, titleOf } from '../../../shared/message-text';
import { ApiError } from '../lib/api';
import { formatAge, shortId } from '../lib/format';
import { stateFromProto } from '../lib/states';
import { useMonitor } from '../stores/monitor';
import { routeHref } from '../stores/route';
import { Composer } from './Composer';
import { StateBadge } from './StateBadge';
import { ErrorAlert } from './ErrorAlert';

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
  const shown = (sessions ?? []).filter((s) => !q || s.title.toLowerCase().includes(q) || s.id.includes(q));
  const now = Date.now();

  return (
    <section className="view" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <label>
        Search <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="text or id" />
      </label>
      <ErrorAlert message={error} />
      <ul className="sessions">
        {shown.map((s) => (
          <li key={s.id} data-session-id={s.id}>
            <a href={routeHref({ view: 'session', id: s.id })}>{s.title || <em>(no text)</em>}</a> <span className="muted id-suffix">{shortId(s.id)}</span>{' '}
            {s.lastState && <StateBadge state={s.lastState} />}{' '}
            <span className="muted">
              {s.taskCount} task{s.taskCount === 1 ? '' : 's'} · {formatAge(s.updatedAt, now)} · <span data-testid="session-origin">{s.origin ? `from ${s.originName ?? s.origin}` : 'this device'}</span>
            </span>
          </li>
        ))}
        {sessions && shown.length === 0 && <li className="muted">{q ? 'No session matches.' : 'No sessions yet. Start one from Send.'}</li>}
      </ul>
    </section>
  );
}

/** A task of the transcript, named by what it was asked. */
function taskTitle(task: TaskJson): string {
  return titleOf(messageJsonText(task.history?.find((m) => m.role === 'ROLE_USER')));
}

export function SessionView({ id }: { id: string }) {
  const api = useMonitor((s) => s.api);
  const a2a = useMonitor((s) => s.a2a);
  const latest = useMonitor((s) => s.tasks.find((t) => t.contextId === id)?.updatedAt);
  const [tasks, setTasks] = useState<TaskJson[]>();
  // null: the host has no such session.
  const [summary, setSummary] = useState<SessionSummary | null>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    a2a?.session(id).then(setTasks, (err: Error) => setError(err.message));
    api?.call('GET /api/sessions/{id}', { params: { id } }).then(setSummary, (err: Error) =>
      err instanceof ApiError && err.status === 404 ? setSummary(null) : setError(err.message),
    );
  }, [api, a2a, id, latest]);

  if (summary === null) {
    return (
      <section className="view" aria-labelledby="session-title" data-testid="session-not-found">
        <p>
          <a href={routeHref({ view: 'sessions' })}>← Sessions</a>
        </p>
        <h2 id="session-title">No such session</h2>
        <p>
          This host has no session <code className="wrap">{id}</code>.
        </p>
      </section>
    );
  }

  return (
    <section className="view" aria-labelledby="session-title">
      <p>
        <a href={routeHref({ view: 'sessions' })}>← Sessions</a>
      </p>
      <h2 id="session-title" className="title-line" title={summary?.title}>
        {summary?.title || 'Session'} <span className="muted id-suffix">{shortId(id)}</span>
      </h2>
      {summary?.origin && <p className="muted">Started on {summary.originName ?? summary.origin}.</p>}
      <ErrorAlert message={error} />
      <ol className="transcript">
        {(tasks ?? []).map((t) => (
          <li key={t.id}>
            <p>
              <a href={routeHref({ view: 'task', id: t.id })}>{taskTitle(t) || 'Task'}</a> <span className="muted id-suffix">{shortId(t.id)}</span>{' '}
              <StateBadge state={stateFromProto(t.status.state)} />
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
      {/* Mounted once the session is read: the composer starts from its latest task's agent and codebase. */}
      {summary && <Composer key={id} contextId={id} defaults={{ agent: summary.agent ?? undefined, codebase: summary.codebase ?? undefined }} />}
    </section>
  );
}
