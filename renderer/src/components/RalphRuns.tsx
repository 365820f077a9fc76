import { useEffect, useMemo } from 'react';
import { formatAge } from '../lib/format';
import { useNow } from '../lib/use-now';
import { useMonitor } from '../stores/monitor';
import { useRalph } from '../stores/ralph';
import { routeHref } from '../stores/route';
import { ErrorAlert } from './ErrorAlert';

/** Ralph's runs, newest first; re-read whenever a run's task changes in the live feed. */
export function RalphRuns() {
  const api = useMonitor((s) => s.api);
  const tasks = useMonitor((s) => s.tasks);
  const { runs, runsError, loadRuns } = useRalph();
  const now = useNow(runs.some((r) => r.status === 'running' || r.status === 'pending'));
  // The feed carries every task; a change of a `ralph` task (a run) is the cue to read the list again.
  const runStamp = useMemo(() => tasks.filter((t) => t.agent === 'ralph').map((t) => `${t.id}:${t.updatedAt}`).join(','), [tasks]);
  useEffect(() => {
    if (api) void loadRuns(api);
  }, [api, loadRuns, runStamp]);

  return (
    <section className="view" aria-labelledby="ralph-title">
      <h2 id="ralph-title">Ralph runs</h2>
      <p className="muted">
        A run implements a PRD story by story: a coding agent works on each story, and the story passes only when its checks exit 0. Start one with{' '}
        <code>codetether ralph run prd.json --codebase NAME</code>, the MCP tool <code>ralph_create_run</code> or <code>POST /v1/ralph/runs</code>.
      </p>
      <ErrorAlert message={runsError} />
      <table className="ralph-runs" data-testid="ralph-runs">
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Status</th>
            <th scope="col">Stories</th>
            <th scope="col">Branch</th>
            <th scope="col">Codebase</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-testid={`ralph-run-${r.id}`}>
              <td>
                <a href={routeHref({ view: 'ralph-run', id: r.id })}>{r.project}</a>
              </td>
              <td>
                <span className={`badge run-${r.status}`}>{r.status}</span>
                {r.stopReason && r.stopReason !== r.status && <span className="muted"> {r.stopReason.replace('_', ' ')}</span>}
              </td>
              <td>
                {r.storiesPassed}/{r.storiesTotal}
              </td>
              <td>
                <code>{r.branchName}</code>
              </td>
              <td>{r.codebase}</td>
              <td>{formatAge(r.createdAt, now)}</td>
            </tr>
          ))}
          {runs.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No runs yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
