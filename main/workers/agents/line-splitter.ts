const ESC = String.fromCharCode(27);
const BEL = String.fromCharCode(7);
/** CSI sequences (colors, cursor moves), OSC sequences (titles, links) and two-byte escapes. */
const escapes = new RegExp(`${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)|${ESC}[@-Z\\\\-_]`, 'g');

/** A line that long without a newline is passed on anyway, so a runaway writer cannot grow memory. */
const MAX_PARTIAL = 1024 * 1024;

function clean(line: string): string {
  return line.replace(escapes, '').replace(/\r+$/, '');
}

/** Cuts pty output (batches that split lines anywhere) into whole lines, without terminal escapes. */
export function createLineSplitter() {
  let partial = '';
  return {
    push(data: string): string[] {
      const text = partial + data;
      const parts = text.split('\n');
      partial = parts.pop()!;
      if (partial.length > MAX_PARTIAL) {
        parts.push(partial);
        partial = '';
      }
      return parts.map(clean);
    },
    /** The unterminated last line, if any, once the output has ended. */
    end(): string[] {
      const rest = partial;
      partial = '';
      return rest ? [clean(rest)] : [];
    },
  };
}
