import { TaskState, taskStateToJSON } from '@a2a-js/sdk';

/**
 * ProtoJSON text of the records a unit of work stores, built around JSON it already holds.
 * A status message is stored in `messages`, inside the status and inside the event: encoding
 * it once and splicing the text in keeps a send from encoding the same message three times.
 * Keys and omissions follow the SDK's toJSON, so the text is what toJSON + stringify would give
 * (test/tasks/event-json.test.ts holds the two side by side).
 */

/** `{"k":v,...}` from raw JSON values, leaving out the undefined ones. */
function object(entries: [string, string | undefined][]): string {
  let out = '';
  for (const [key, raw] of entries) {
    if (raw === undefined) continue;
    out += `${out ? ',' : ''}"${key}":${raw}`;
  }
  return `{${out}}`;
}

const str = (s: string) => (s === '' ? undefined : JSON.stringify(s));
const struct = (v: Record<string, unknown> | undefined) => (v === undefined ? undefined : JSON.stringify(v));

export function statusJson(state: TaskState, timestamp: string | undefined, messageJson: string | undefined): string {
  return object([
    // ProtoJSON leaves out a field at its default, and UNSPECIFIED is the enum's.
    ['state', state === TaskState.TASK_STATE_UNSPECIFIED ? undefined : JSON.stringify(taskStateToJSON(state))],
    ['message', messageJson],
    ['timestamp', timestamp === undefined ? undefined : JSON.stringify(timestamp)],
  ]);
}

export function statusEventJson(taskId: string, contextId: string, status: string, metadata: Record<string, unknown> | undefined): string {
  return `{"statusUpdate":${object([['taskId', str(taskId)], ['contextId', str(contextId)], ['status', status], ['metadata', struct(metadata)]])}}`;
}

export function artifactEventJson(taskId: string, contextId: string, artifact: string, append: boolean, lastChunk: boolean): string {
  return `{"artifactUpdate":${object([
    ['taskId', str(taskId)],
    ['contextId', str(contextId)],
    ['artifact', artifact],
    ['append', append ? 'true' : undefined],
    ['lastChunk', lastChunk ? 'true' : undefined],
  ])}}`;
}

/** A new task's snapshot event: no artifacts yet, the first message as its history. */
export function newTaskEventJson(id: string, contextId: string, status: string, messageJson: string, metadata: Record<string, unknown> | undefined): string {
  return `{"task":${object([['id', str(id)], ['contextId', str(contextId)], ['status', status], ['history', `[${messageJson}]`], ['metadata', struct(metadata)]])}}`;
}
