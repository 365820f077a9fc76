import type { Task} from '@a2a-js/sdk';
import { Artifact, Message, TaskStatus, Role } from '@a2a-js/sdk';
import type { TaskRepository, TaskRow } from '../store/task-repository';

export const toJson = {
  message: (m: Message) => JSON.stringify(Message.toJSON(m)),
  artifact: (a: Artifact) => JSON.stringify(Artifact.toJSON(a)),
};

export function roleName(role: Role): string {
  return role === Role.ROLE_AGENT ? 'agent' : 'user';
}

export interface TaskView {
  /** Most recent messages to include; undefined = all, 0 = none. */
  historyLength?: number;
  includeArtifacts?: boolean;
}

/** Rebuilds a protocol Task from its stored rows. */
export function taskFromRow(repo: TaskRepository, row: TaskRow, view: TaskView = {}): Task {
  const history =
    view.historyLength === 0 ? [] : repo.history(row.id, view.historyLength).map((j) => Message.fromJSON(JSON.parse(j)));
  const artifacts =
    view.includeArtifacts === false ? [] : repo.artifacts(row.id).map((j) => Artifact.fromJSON(JSON.parse(j)));
  return {
    id: row.id,
    contextId: row.context_id,
    status: TaskStatus.fromJSON(JSON.parse(row.status_json)),
    artifacts,
    history,
    metadata: row.metadata_json ? (JSON.parse(row.metadata_json) as Record<string, unknown>) : undefined,
  };
}
