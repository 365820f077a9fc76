/**
 * How text is read out of A2A parts and cut into titles: the one rule for the host, MCP, sync,
 * desktop notifications and the monitor.
 *
 * The text parts of a message join with a newline: each is a piece its sender wrote whole, and
 * gluing two would run their words together. The text parts of an artifact join with nothing:
 * agents stream an artifact as appended chunks, which may split a line or a word anywhere.
 */

/** A message's text parts, joined. */
export function joinMessageText(texts: readonly string[]): string {
  return texts.join('\n');
}

/** An artifact's text parts (or one chunk of it), joined. */
export function joinArtifactText(texts: readonly string[]): string {
  return texts.join('');
}

/** What is read of a message or artifact in the A2A v1.0 JSON form (stored rows, the HTTP+JSON binding): a text part has `text`. */
export interface PartsJson {
  parts?: readonly { text?: unknown }[];
}

const jsonTexts = (value: PartsJson | undefined): string[] =>
  (value?.parts ?? []).flatMap((p) => (typeof p.text === 'string' ? [p.text] : []));

export function messageJsonText(message: PartsJson | undefined): string {
  return joinMessageText(jsonTexts(message));
}

export function artifactJsonText(artifact: PartsJson | undefined): string {
  return joinArtifactText(jsonTexts(artifact));
}

/** The text of a message stored as JSON text; '' for none, or for a body that is not JSON. */
export function storedMessageText(json: string | null | undefined): string {
  if (!json) return '';
  try {
    return messageJsonText(JSON.parse(json) as PartsJson);
  } catch {
    return '';
  }
}

/** `text` on one line (each run of whitespace one space), cut to at most `max` characters, the last an ellipsis. */
export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** How long a title is where a line is all it gets: MCP's session list, the sync index. */
export const TITLE_CHARS = 80;

/** A session's or task's title: the start of its first user message, on one line. */
export function titleOf(text: string): string {
  return oneLine(text, TITLE_CHARS);
}
