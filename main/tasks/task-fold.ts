import type { StreamResponse, Task } from '@a2a-js/sdk';

/**
 * Applies one committed event to a task, as taskFromRow would read the task back afterwards:
 * a status replaces the status and adds its message to the history; an artifact replaces the
 * one with its id in place (or comes last), and an append adds its parts to the stored ones.
 * Returns a new Task; the one given is not changed.
 */
export function foldEvent(task: Task, response: StreamResponse): Task {
  const payload = response.payload;
  if (payload?.$case === 'statusUpdate') {
    const { status } = payload.value;
    if (!status) return task;
    return { ...task, status, history: status.message ? [...task.history, status.message] : task.history };
  }
  if (payload?.$case === 'artifactUpdate') {
    const { artifact, append } = payload.value;
    if (!artifact) return task;
    const at = task.artifacts.findIndex((a) => a.artifactId === artifact.artifactId);
    if (at < 0) return { ...task, artifacts: [...task.artifacts, artifact] };
    const artifacts = [...task.artifacts];
    artifacts[at] = append ? { ...artifacts[at]!, parts: [...artifacts[at]!.parts, ...artifact.parts] } : artifact;
    return { ...task, artifacts };
  }
  return task;
}
