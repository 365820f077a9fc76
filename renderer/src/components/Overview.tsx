import { useMemo, useState } from 'react';
import { taskStateNames } from '../../../shared/monitor-api';
import { formatAge } from '../lib/format';
import { stateLabels } from '../lib/states';
import { filterTasks, type TaskFilter } from '../lib/task-list';
import { useNow } from '../lib/use-now';
import { useMonitor } from '../stores/monitor';
import { TaskList } from './TaskList';

const filterLabels: Record<TaskFilter, string> = { all: 'All', active: 'Running and queued', waiting: 'Needs input', finished: 'Finished' };

export function Overview() {
  const { tasks, counts, total, workers, loaded } = useMonitor();
  const [filter, setFilter] = useState<TaskFilter>('all');
  const [query, setQuery] = useState('');
  const running = counts.working + counts.submitted > 0;
  const now = useNow(running);
  const shown = useMemo(() => filterTasks(tasks, filter, query), [tasks, filter, query]);

  return (
    <section aria-labelledby="overview-title" className="view">
      <h2 id="overview-title">Overview</h2>
      <ul className="counts" aria-label="Tasks by state" data-testid="counts">
        {taskStateNames
          .filter((s) => s !== 'auth-required' && s !== 'rejected')
          .map((s) => (
            <li key={s} className={`count state-${s}`}>
              <span className="count-n" data-testid={`count-${s}`}>{counts[s]}</span>
              <span className="count-label">{stateLabels[s]}</span>
            </li>
          ))}
        <li className="count">
          <span className="count-n" data-testid="count-total">{total}</span>
          <span className="count-label">All tasks</span>
        </li>
      </ul>

      <h3>Workers online</h3>
      <ul className="workers" aria-label="Workers online">
        {workers.map((w) => (
          <li key={w.name}>
            <strong>{w.name}</strong> {w.local && <span className="muted">(this host)</span>} · load {w.load} ·{' '}
            {/* This host is alive while the feed is; only a remote worker's last heartbeat says anything. */}
            {!w.local && `heartbeat ${formatAge(w.heartbeatAt, now)} · `}
            {w.codebases.length ? `codebases: ${w.codebases.join(', ')}` : 'no codebases'}
          </li>
        ))}
      </ul>

      <div className="toolbar">
        <h3>Tasks</h3>
        <label>
          Show{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value as TaskFilter)}>
            {Object.entries(filterLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="text, agent, codebase, id" />
        </label>
        {tasks.length < total && <span className="muted">showing the {tasks.length} most recent of {total}</span>}
      </div>
      {loaded ? <TaskList tasks={shown} now={now} label="Tasks" /> : <p className="muted">Loading…</p>}
    </section>
  );
}
