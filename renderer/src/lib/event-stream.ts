export interface StreamEvent {
  /** The SSE `event:` name; 'message' when the host gave none. */
  type: string;
  data: string;
  id?: string;
}

export interface StreamHandlers {
  event(event: StreamEvent): void;
  /** Connected (again): the host answered 200 and the stream is open. */
  open?(): void;
  /**
   * The stream is down. `status` is set when the host refused it with a 4xx (401: a token is
   * needed or was refused; 404: no such task): a retry cannot help, so none is made until the
   * stream is opened anew. Otherwise it reconnects by itself after a growing delay.
   */
  down?(problem: { status?: number; message: string }): void;
}

export interface StreamOptions {
  /** Headers for each (re)connect: the bearer token may have changed meanwhile. */
  headers(): Record<string, string>;
  /**
   * The URL of a reconnect after the event with this id. Resuming goes in the query rather than
   * a Last-Event-ID header, which would make the desktop window's cross-origin fetch need a preflight.
   */
  resumeUrl?(lastId: string): string;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;

function parseFrame(frame: string): StreamEvent | undefined {
  const event: StreamEvent = { type: 'message', data: '' };
  const data: string[] = [];
  for (const raw of frame.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
    if (field === 'data') data.push(value);
    else if (field === 'event') event.type = value;
    else if (field === 'id') event.id = value;
  }
  if (data.length === 0) return undefined;
  event.data = data.join('\n');
  return event;
}

/**
 * Server-sent events over fetch, so each request can carry `Authorization: Bearer` (EventSource
 * cannot send headers). Reconnects after network errors like EventSource does, resuming after
 * the last event id when the stream has ids; a 4xx answer stops it instead.
 */
export function openEventStream(url: string, on: StreamHandlers, options: StreamOptions): () => void {
  const ctl = new AbortController();
  let lastId: string | undefined;
  let delay = FIRST_RETRY_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const retry = (message: string) => {
    if (ctl.signal.aborted) return;
    on.down?.({ message });
    clearTimeout(timer);
    timer = setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, MAX_RETRY_MS);
  };

  const connect = async () => {
    let res: Response;
    try {
      const target = lastId !== undefined && options.resumeUrl ? options.resumeUrl(lastId) : url;
      res = await fetch(target, { headers: { accept: 'text/event-stream', ...options.headers() }, cache: 'no-store', signal: ctl.signal });
    } catch {
      return retry('Cannot reach the host.');
    }
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      let message = `The host answered ${res.status}.`;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // Not our JSON error body: the status says enough.
      }
      if (res.status >= 500) return retry(message);
      if (!ctl.signal.aborted) on.down?.({ status: res.status, message });
      return;
    }
    delay = FIRST_RETRY_MS;
    on.open?.();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const event = parseFrame(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          if (!event) continue;
          if (event.id !== undefined) lastId = event.id;
          on.event(event);
          if (ctl.signal.aborted) return;
        }
      }
    } catch {
      // A dropped connection: reconnect below, unless closed on purpose.
    }
    retry('Connection to the host lost; reconnecting…');
  };

  void connect();
  return () => {
    ctl.abort();
    clearTimeout(timer);
  };
}
