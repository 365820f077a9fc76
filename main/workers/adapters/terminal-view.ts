import type { TerminalView } from './adapter';
import type { EventMapper } from './agent-events';
import { jsonObject, type JsonObject } from './json-line';

/** A line that marks a step of the agent's work (a model turn), for a rule in the terminal; undefined for others. */
export type StepMarker = (line: JsonObject) => string | undefined;

const dim = (text: string) => `\x1b[2m${text}\x1b[0m\r\n`;
const cyan = (text: string) => `\x1b[36m▸ ${text}\x1b[0m\r\n`;
const red = (text: string) => `\x1b[31m${text}\x1b[0m\r\n`;
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/**
 * The terminal view of a CLI that prints JSON lines: its reply text as text, each tool call as a
 * line naming the tool and its target, step boundaries as rules, errors in red, and any line that
 * is not JSON (a warning, a crash trace) as it came. A person reads what the agent does, not its
 * event stream; the events themselves still reach the task as artifacts and statuses.
 */
export function jsonLinesView(map: EventMapper, step?: StepMarker): TerminalView {
  let partial = '';
  const render = (raw: string): string => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const json = jsonObject(line);
    if (!json) return `${line}\r\n`;
    const marker = step?.(json);
    if (marker) return dim(`── ${marker} ──`);
    return map(json)
      .map((e) => (e.kind === 'text' ? crlf(e.text) : e.kind === 'progress' ? cyan(e.text) : e.kind === 'failed' ? red(e.text) : ''))
      .join('');
  };
  return {
    push(data) {
      const lines = (partial + data).split('\n');
      partial = lines.pop()!;
      return lines.map(render).join('');
    },
    end() {
      const rest = partial;
      partial = '';
      return rest ? render(rest) : '';
    },
  };
}
