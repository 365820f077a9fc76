import type { SyncRepository, SyncTaskRow } from '../store/sync-repository';
import { isSettled, stateFromName } from '../tasks/states';
import type { TaskSummary } from './records';

/** An artifact larger than this travels as a note naming its size; big outputs stay on their device. */
const MAX_ARTIFACT_BYTES = 256 * 1024;

/** Artifacts are final once the task ends or waits on its client; before that they are still being streamed. */
function hasFinalArtifacts(state: string): boolean {
  const s = stateFromName(state);
  return s !== undefined && isSettled(s);
}

function boundedArtifact(json: string): string {
  if (Buffer.byteLength(json) <= MAX_ARTIFACT_BYTES) return json;
  const { artifactId, name } = JSON.parse(json) as { artifactId?: string; name?: string };
  const note = `[artifact of ${Buffer.byteLength(json)} bytes kept on the device that ran the task]`;
  return JSON.stringify({ artifactId, name, parts: [{ text: note }] });
}

/** What a session document carries of a task: its latest status and, once final, its artifacts. */
export function summarize(row: SyncTaskRow, repo: SyncRepository, deviceId: string): TaskSummary {
  return {
    id: row.id,
    agent: row.agent,
    state: row.state,
    status: row.status_json,
    metadata: row.metadata_json,
    artifacts: hasFinalArtifacts(row.state) ? repo.artifacts(row.id).map(boundedArtifact) : [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    device: deviceId,
  };
}
