import type { TaskStateName } from '../../../shared/monitor-api';
import { stateLabels } from '../lib/states';

export function StateBadge({ state }: { state: TaskStateName }) {
  return <span className={`badge state-${state}`}>{stateLabels[state] ?? state}</span>;
}
