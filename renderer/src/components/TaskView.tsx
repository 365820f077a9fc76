import { useEffect, useState, type FormEvent } from 'react';
import { messageJsonText } from '../../../shared/message-text';
import { formatDuration, shortId, taskDuration } from '../lib/format';
import { isFinal, needsInput } from '../lib/states';
import { firstUserText } from '../lib/task-log';
import { useNow } from '../lib/use-now';
import { useMonitor } from '../stores/monitor';
import { navigate, routeHref } from '../stores/route';
import { useTaskView } from '../stores/task-view';
import { Artifacts } from './Artifacts';
import { StateBadge } from './StateBadge';
import { Terminal } from './Terminal';
import { Timeline } from './Timeline';
import { Trajectory } from './Trajectory';
import { ErrorAlert } from './ErrorAlert';

function AnswerForm({ onAnswer, question }: { onAnswer: (text: string) => Promise<void>; question: string }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    try {
      await onAnswer(text);
      setText('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="answer" onSubmit={(e) => void submit(e)} aria-label="Answer the agent">
      <p className="question" data-testid="question">
        <strong>The agent asks:</strong> {question || '(no question text)'}
      </p>
      <label htmlFor="answer-text">Your answer</label>
      <div className="row">
        <input id="answer-text" value={text} onChange={(e) => setText(e.target.value)} autoFocus />
        <button type="submit" disabled={busy || !text.trim()}>
          Send answer
        </button>
      </div>
    </form>
  );
}

function TaskNotFound({ id }: { id: string }) {
  return (
    <section className="view" aria-labelledby="task-title" data-testid="task-not-found">
      <p>
        <a href={routeHref({ view: 'overview' })}>← Overview</a>
      </p>
      <h2 id="task-title">No such task</h2>
      <p>
        This host has no task <code className="wrap">{id}</code>. It may have been answered with a message instead of a task, or the link is from another
        host or data dir.
      </p>
    </section>
  );
}

export function TaskView({ id }: { id: string }) {
  const api = useMonitor((s) => s.api);
  const a2a = useMonitor((s) => s.a2a);
  const fed = useMonitor((s) => s.tasks.find((t) => t.id === id));
  const { detail, live, error, missing, open, raw, rawVersion, summary: read } = useTaskView();
  // The feed's summary is live; the one read at open covers a task the feed does not hold.
  const summary = fed ?? (read?.id === id ? read : undefined);
  const [actionError, setActionError] = useState<string>();
  const now = useNow(!!detail && !isFinal(detail.state));

  useEffect(() => (api ? open(api, id) : undefined), [api, id, open]);

  if (missing) return <TaskNotFound id={id} />;
  if (!detail || detail.id !== id) return <p className="muted">Loading task…</p>;
  const act = async (work: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await work();
    } catch (err) {
      setActionError((err as Error).message);
    }
  };
  const metadata = detail.metadata as { agent?: string; codebase?: string; model?: string };
  const agent = summary?.agent ?? metadata.agent;
  const codebase = summary?.codebase ?? metadata.codebase;
  // A synced copy of another device's task: only that device may cancel or answer it.
  const device = summary?.origin ? (summary.originName ?? summary.origin) : undefined;
  const retry = () =>
    act(async () => {
      const task = await a2a!.send({ text: firstUserText(detail), agent, codebase, model: metadata.model, contextId: detail.contextId });
      navigate({ view: 'task', id: task.id });
    });
  const output = detail.output.join('');
  // The RLM agent's step log gets a view of its own instead of a JSON dump among the artifacts.
  const trajectory = detail.artifacts.find((a) => a.artifactId === 'trajectory');
  const artifacts = trajectory ? detail.artifacts.filter((a) => a !== trajectory) : detail.artifacts;

  return (
    <section className="view task-view" aria-labelledby="task-title">
      <p>
        <a href={routeHref({ view: 'overview' })}>← Overview</a> · <a href={routeHref({ view: 'session', id: detail.contextId })}>Session {shortId(detail.contextId)}</a>
      </p>
      <h2 id="task-title" className="title-line" title={firstUserText(detail)}>
        {firstUserText(detail) || 'Task'} <span className="muted id-suffix">{shortId(detail.id)}</span>
      </h2>
      <dl className="facts">
        <dt>State</dt>
        <dd data-testid="task-state">
          <StateBadge state={detail.state} /> {live ? <span className="muted">live</span> : null}
        </dd>
        <dt>Agent</dt>
        <dd>{agent ?? '—'}</dd>
        <dt>Codebase</dt>
        <dd data-testid="task-codebase">{codebase ?? '—'}</dd>
        {device && (
          <>
            <dt>Runs on</dt>
            <dd data-testid="task-device">{device} (read-only here)</dd>
          </>
        )}
        {summary && (
          <>
            <dt>Duration</dt>
            <dd>{formatDuration(taskDuration(summary, now))}</dd>
          </>
        )}
        <dt>Id</dt>
        <dd>
          <code>{detail.id}</code>
        </dd>
      </dl>
      {detail.statusText && !needsInput(detail.state) && <p className="status-text">{detail.statusText}</p>}
      <ErrorAlert message={error} />
      <ErrorAlert message={actionError} />
      <div className="actions">
        {!isFinal(detail.state) && !device && (
          <button type="button" className="danger" onClick={() => void act(() => a2a!.cancel(id))}>
            Cancel task
          </button>
        )}
        {isFinal(detail.state) && (
          <button type="button" onClick={() => void retry()}>
            Retry
          </button>
        )}
      </div>
      {needsInput(detail.state) && !device && (
        <AnswerForm question={detail.statusText} onAnswer={(text) => act(() => a2a!.send({ text, taskId: id, contextId: detail.contextId }))} />
      )}
      {trajectory && <Trajectory artifact={trajectory} />}
      <h3>Output</h3>
      <p className="muted small" data-testid="output-kind">
        {raw.length
          ? 'The agent’s terminal as it ran, colors and all.'
          : 'The agent’s output artifact, escapes removed: this task has no raw terminal output on this host (it ran elsewhere, or without a terminal).'}
      </p>
      {raw.length ? (
        <Terminal key="raw" chunks={raw} reset={0} version={rawVersion} />
      ) : (
        <Terminal key="artifact" chunks={detail.output} reset={detail.outputReset} version={detail.lastSeq} />
      )}
      <div className="columns">
        <section aria-labelledby="timeline-title">
          <h3 id="timeline-title">Timeline</h3>
          <Timeline items={detail.timeline} />
        </section>
        <div>
          <Artifacts artifacts={artifacts} output={output} />
          <section aria-labelledby="messages-title">
            <h3 id="messages-title">Messages</h3>
            <ul className="messages">
              {detail.messages.map((m) => (
                <li key={m.messageId} className={m.role === 'ROLE_USER' ? 'from-user' : 'from-agent'}>
                  <strong>{m.role === 'ROLE_USER' ? 'You' : 'Agent'}:</strong> {messageJsonText(m)}
                </li>
              ))}
              {detail.messages.length === 0 && <li className="muted">No messages yet.</li>}
            </ul>
          </section>
        </div>
      </div>
    </section>
  );
}
