import { parse } from 'shell-quote';

export type Split = { ok: true; argv: string[] } | { ok: false; error: string };

/**
 * Splits a command line into argv the way a POSIX shell splits words (quotes and backslashes
 * respected: `node -e "process.exit(1)"` is three words), without running a shell. `$VAR` stays
 * literal and a glob is a plain word. Shell operators (`&&`, `|`, `>`, ...) and leading `VAR=x`
 * assignments need a shell, so they are refused with the way to ask for one.
 */
export function splitCommand(text: string): Split {
  let tokens: ReturnType<typeof parse>;
  try {
    tokens = parse(text, (name) => `$${name}`);
  } catch (err) {
    return { ok: false, error: `cannot split "${text}" into words: ${(err as Error).message}` };
  }
  const argv: string[] = [];
  for (const t of tokens) {
    if (typeof t === 'string') argv.push(t);
    else if ('op' in t && t.op === 'glob') argv.push(t.pattern);
    else if ('comment' in t) break;
    else {
      const op = 'op' in t ? t.op : String(t);
      return { ok: false, error: `"${text}" uses the shell operator "${op}", and commands run without a shell. Name one: sh -c '${text.replace(/'/g, `'\\''`)}'` };
    }
  }
  if (argv.length === 0) return { ok: false, error: 'the command is empty' };
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]!)) {
    return { ok: false, error: `"${text}" starts with a variable assignment, which needs a shell: use env ${argv.join(' ')} or sh -c '...'` };
  }
  return { ok: true, argv };
}
