import type { Api } from './api';

export interface RawOutputHandlers {
  /** Terminal bytes, in order; a marker stands where the host dropped old output. */
  data(text: string): void;
}

/** Shown where the host's cap dropped the oldest output, dim so it reads as ours, not the agent's. */
export const DROPPED_MARKER = '\u001b[2m[… earlier output dropped …]\u001b[0m\r\n';

/**
 * Follows `/api/tasks/{id}/output`: the task's raw pty bytes. A reconnect resumes from the last
 * byte offset (the event id); `end` means the task is final and everything was sent, so the
 * stream is closed rather than reopened. A refusal leaves the artifact text in the terminal.
 */
export function connectRawOutput(api: Api, taskId: string, on: RawOutputHandlers): () => void {
  const close = api.stream(
    '/api/tasks/{id}/output',
    {
      event(e) {
        if (e.type === 'message') on.data(JSON.parse(e.data) as string);
        else if (e.type === 'gap') on.data(DROPPED_MARKER);
        else if (e.type === 'end') close();
      },
    },
    { params: { id: taskId } },
  );
  return close;
}
