import { useEffect, useState } from 'react';
import type { AttemptView, RunView, StoryState, StoryView } from '../../../shared/ralph-api';
import type { Api } from '../lib/api';
import { connectRawOutput } from '../lib/raw-output';
import { useMonitor } from '../stores/monitor';
import { useRalph } from '../stores/ralph';
import { routeHref } from '../stores/route';
import { Terminal } from './Terminal';
import { ErrorAlert } from './ErrorAlert';

const columns: { state: StoryState; label: string }[] = [
  { state: 'pending', label: 'Pending' },
  { state: 'running', label: 'Running' },
  { state: 'passed', label: 'Passed' },
  { state: 'failed', label: 'Failed' },
  { state: 'blocked', label: 'Blocked by dependency' },
];

const words = (s: string) => s.replace(/_/g, ' ');

/** The running agent's terminal, live from the host's raw output of the attempt's task. */
function LiveTerminal({ api, taskId }: { api: Api; taskId: string }) {
  const [chunks] = useState<string[]>(() => []);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    chunks.length = 0;
    return connectRawOutput(api, taskId, {
      data(text) {
        chunks.push(text);
        setVersion((v) => v + 1);
      },
    });
  }, [api, taskId, chunks]);
  return <Terminal chunks={chunks} reset={0} version={version} />;
}

function Diff({ api, runId, storyId }: { api: Api; runId: string; storyId: string }) {
  const [text, setText] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    api
      .call('GET /v1/ralph/runs/{id}/stories/{story}/diff', { params: { id: runId, story: storyId } })
      .then((t) => live && setText(t))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [api, runId, storyId]);
  if (error) return <p className="error">{error}</p>;
  return text === undefined ? <p className="muted">Loading the diff…</p> : <pre className="diff" data-testid="story-diff">{text}</pre>;
}

function Attempt({ attempt }: { attempt: AttemptView }) {
  return (
    <li className="attempt" data-testid={`attempt-${attempt.number}`}>
      <p>
        <strong>Attempt {attempt.number}</strong> <span className={`badge outcome-${attempt.outcome}`}>{words(attempt.outcome)}</span>{' '}
        {attempt.taskId && <a href={routeHref({ view: 'task', id: attempt.taskId })}>its task</a>}
        {attempt.changedFiles === false && <span className="muted"> · changed no file</span>}
        {attempt.tokens !== null && <span className="muted"> · {attempt.tokens} tokens</span>}
      </p>
      {attempt.note && <p className="small">{attempt.note}</p>}
      <ul className="checks">
        {attempt.checks.map((c) => (
          <li key={c.name}>
            <details>
              <summary>
                <span className={c.passed ? 'ok' : 'error'}>{c.passed ? '✔' : '✘'}</span> {c.name} <code>{c.command}</code>{' '}
                <span className="muted">
                  {c.timedOut ? 'timed out' : `exit ${c.exitCode ?? '-'}`} · {(c.durationMs / 1000).toFixed(1)} s
                </span>
              </summary>
              {c.note && <p className="small">{c.note}</p>}
              <pre className="check-output">{c.output || '(no output)'}</pre>
            </details>
          </li>
        ))}
      </ul>
    </li>
  );
}

function StoryDetail({ api, run, story }: { api: Api; run: RunView; story: StoryView }) {
  const running = story.attempts.at(-1);
  const live = story.state === 'running' && running?.taskId && (running.outcome === 'running' || running.outcome === 'checking');
  return (
    <section className="story-detail" aria-label={`Story ${story.id}`} data-testid="story-detail">
      <h3>
        {story.id}: {story.title}
      </h3>
      {story.description && <p>{story.description}</p>}
      {story.acceptanceCriteria.length > 0 && (
        <ul>
          {story.acceptanceCriteria.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      )}
      {story.note && <p className="small">{story.note}</p>}
      {live && (
        <>
          <h4>Agent terminal (attempt {running.number})</h4>
          <LiveTerminal api={api} taskId={running.taskId!} />
        </>
      )}
      <h4>Attempts</h4>
      <ol className="attempts">
        {story.attempts.map((a) => (
          <Attempt key={a.number} attempt={a} />
        ))}
        {story.attempts.length === 0 && <li className="muted">None yet.</li>}
      </ol>
      {story.commit && (
        <>
          <h4>Commit {story.commit.slice(0, 10)}</h4>
          <Diff api={api} runId={run.id} storyId={story.id} />
        </>
      )}
    </section>
  );
}

/** One run: its stories on a board by state, each with attempts, check output, the live terminal and the commit's diff; cancel. */
export function RalphBoard({ id }: { id: string }) {
  const api = useMonitor((s) => s.api);
  const { run, log, boardError, openRun } = useRalph();
  const [selected, setSelected] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  useEffect(() => (api ? openRun(api, id) : undefined), [api, id, openRun]);

  if (boardError) return <ErrorAlert message={boardError} />;
  if (!api || !run || run.id !== id) return <p className="muted">Loading run…</p>;
  const active = run.status === 'running' || run.status === 'pending';
  const story = run.stories.find((s) => s.id === selected) ?? run.stories.find((s) => s.state === 'running');
  const cancel = async () => {
    setActionError(undefined);
    try {
      await api.call('POST /v1/ralph/runs/{id}/cancel', { params: { id } });
    } catch (err) {
      setActionError((err as Error).message);
    }
  };

  return (
    <section className="view ralph-board" aria-labelledby="run-title">
      <p>
        <a href={routeHref({ view: 'ralph' })}>← Ralph runs</a> · <a href={routeHref({ view: 'task', id: run.id })}>the run's task</a>
      </p>
      <h2 id="run-title">{run.project}</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`badge run-${run.status}`} data-testid="run-status">
            {run.status}
          </span>
          {run.stopReason && run.stopReason !== run.status && <span className="muted"> {words(run.stopReason)}</span>}
        </dd>
        <dt>Branch</dt>
        <dd>
          <code>{run.branchName}</code> in {run.codebase}
        </dd>
        <dt>Agent</dt>
        <dd>
          {run.agent} · {run.mode}
          {run.mode === 'parallel' && ` (up to ${run.maxParallel})`}
        </dd>
        <dt>Progress</dt>
        <dd data-testid="run-progress">
          {run.storiesPassed}/{run.storiesTotal} stories passed · {run.iterations}/{run.limits.maxIterations} iterations
          {run.tokens > 0 && ` · ${run.tokens} tokens`}
        </dd>
      </dl>
      {active && (
        <button type="button" className="danger" onClick={() => void cancel()}>
          Cancel run
        </button>
      )}
      <ErrorAlert message={actionError} />
      {run.summary && <pre className="summary" data-testid="run-summary">{run.summary}</pre>}
      <div className="board" data-testid="ralph-board">
        {columns.map((col) => (
          <section key={col.state} className={`column column-${col.state}`} aria-label={col.label} data-testid={`column-${col.state}`}>
            <h3>
              {col.label} <span className="muted">{run.stories.filter((s) => s.state === col.state).length}</span>
            </h3>
            <ul>
              {run.stories
                .filter((s) => s.state === col.state)
                .map((s) => (
                  <li key={s.id}>
                    <button type="button" className={`story-card${story?.id === s.id ? ' selected' : ''}`} onClick={() => setSelected(s.id)} data-testid={`story-${s.id}`}>
                      <strong>{s.id}</strong> {s.title}
                      <span className="muted small">
                        {' '}
                        · {s.attempts.length} attempt{s.attempts.length === 1 ? '' : 's'}
                        {s.stopReason && ` · ${words(s.stopReason)}`}
                      </span>
                    </button>
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </div>
      {story && <StoryDetail api={api} run={run} story={story} />}
      <details className="run-log">
        <summary>Log ({log.length} lines)</summary>
        <ol data-testid="run-log">
          {log.map((l) => (
            <li key={l.seq}>
              <span className="muted">{new Date(l.at).toLocaleTimeString()}</span> {l.message}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
