import { StreamResponse } from '@a2a-js/sdk';

export type TaskEventKind = 'task' | 'message' | 'statusUpdate' | 'artifactUpdate';

/**
 * One committed entry of a task's append-only log. `json` is the StreamResponse's ProtoJSON
 * text exactly as stored, so SSE replay writes bytes without re-encoding them.
 */
export interface TaskEvent {
  taskId: string;
  seq: number;
  kind: TaskEventKind;
  json: string;
  /** The event decoded, when its writer in this process has it: in-process listeners skip decoding `json`. */
  response?: StreamResponse;
}

export function decodeEvent(event: TaskEvent): StreamResponse {
  return StreamResponse.fromJSON(JSON.parse(event.json));
}
