import type { TimelineItem } from '../lib/task-log';
import { stateLabels } from '../lib/states';

function describe(item: TimelineItem): string {
  if (item.kind === 'output') return `Output: ${item.chunks} chunk${item.chunks === 1 ? '' : 's'}, ${item.chars} characters`;
  if (item.state) return `${item.label}: ${stateLabels[item.state]}${item.text ? ` — ${item.text}` : ''}`;
  return item.text ? `${item.label} — ${item.text}` : item.label;
}

/** The task's A2A events in order, as the host logged them (seq is the event's id). */
export function Timeline({ items }: { items: TimelineItem[] }) {
  return (
    <ol className="timeline" aria-label="Event timeline" data-testid="timeline">
      {items.map((item) => (
        <li key={`${item.kind}-${item.seq}`} className={`timeline-${item.kind}`}>
          <span className="seq">#{item.seq}</span> {describe(item)}
          {item.at && <time dateTime={item.at}> {new Date(item.at).toLocaleTimeString()}</time>}
        </li>
      ))}
    </ol>
  );
}
