import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { TaskSummary } from '../../../shared/monitor-api';
import { formatAge, formatDuration, taskDuration } from '../lib/format';
import { routeHref } from '../stores/route';
import { StateBadge } from './StateBadge';

const ROW_HEIGHT = 44;

/** The task table, virtualized: only the rows in view are in the DOM, so thousands scroll smoothly. */
export function TaskList({ tasks, now, label }: { tasks: TaskSummary[]; now: number; label: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: tasks.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });

  if (tasks.length === 0) return <p className="muted">No tasks here yet. Start one from Send.</p>;
  return (
    <div className="task-table" role="table" aria-label={label} aria-rowcount={tasks.length + 1}>
      <div className="task-row task-head" role="row" aria-rowindex={1}>
        <span role="columnheader">State</span>
        <span role="columnheader">Task</span>
        <span role="columnheader">Agent</span>
        <span role="columnheader">Codebase</span>
        <span role="columnheader">Duration</span>
        <span role="columnheader">Updated</span>
      </div>
      <div ref={scroller} className="task-scroll" data-testid="task-scroll">
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((item) => {
            const t = tasks[item.index]!;
            return (
              <a
                key={t.id}
                href={routeHref({ view: 'task', id: t.id })}
                className="task-row"
                role="row"
                aria-rowindex={item.index + 2}
                data-task-id={t.id}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                <span role="cell">
                  <StateBadge state={t.state} />
                </span>
                <span role="cell" className="task-title" title={t.title}>
                  {t.title || <em>(no text)</em>}
                  {t.statusText && t.state !== 'completed' && <small className="muted"> — {t.statusText}</small>}
                </span>
                <span role="cell">{t.agent}</span>
                <span role="cell">{t.codebase ?? '—'}</span>
                <span role="cell">{formatDuration(taskDuration(t, now))}</span>
                <span role="cell">{formatAge(t.updatedAt, now)}</span>
              </a>
            );
          })}
        </div>
      </div>
    </div>
  );
}
