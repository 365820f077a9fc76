export interface RawOutputHandlers {
  /** Terminal bytes, in order; a marker stands where the host dropped old output. */
  data(text: string): void;
}

/** Shown where the host's cap dropped the oldest output, dim so it reads as ours, not the agent's. */
export const DROPPED_MARKER = '\u001b[2m[… earlier output dropped …]\u001b[0m\r\n';

/**
 * Follows `/api/tasks/{id}/output`: the task's raw pty bytes. EventSource resumes by itself
 * with Last-Event-ID (a byte offset) after a network error; `end` means the task is final and
 * everything was sent, so the stream is closed rather than reopened.
 */
export function connectRawOutput(url: string, on: RawOutputHandlers): () => void {
  const es = new EventSource(url);
  es.onmessage = (m: MessageEvent<string>) => on.data(JSON.parse(m.data) as string);
  es.addEventListener('gap', () => on.data(DROPPED_MARKER));
  es.addEventListener('end', () => es.close());
  return () => es.close();
}
