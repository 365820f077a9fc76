export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
  enabled(level: LogLevel): boolean;
}

/**
 * stderr writes to a pipe or file are synchronous in Node, one syscall per line: under load the
 * request log alone halved throughput. Lines are gathered and written once per event-loop turn,
 * and whatever is pending is written on exit.
 */
function stderrSink(): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    process.stderr.write(text);
  };
  process.once('exit', flush);
  return (line) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(line + '\n');
  };
}

let sharedStderr: ((line: string) => void) | undefined;

/**
 * One JSON object per line on stderr (stdout stays free for protocol output such as `codetether mcp`).
 * The sink is injectable so tests and the desktop app can capture lines.
 */
export function createLogger(level: LogLevel, sink?: (line: string) => void, scope?: string): Logger {
  const write = sink ?? (sharedStderr ??= stderrSink());
  const min = rank[level];
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] < min) return;
    const record: Record<string, unknown> = { t: new Date().toISOString(), level: lvl };
    if (scope) record.scope = scope;
    record.msg = msg;
    write(JSON.stringify(fields ? Object.assign(record, fields) : record));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (s) => createLogger(level, write, scope ? `${scope}.${s}` : s),
    enabled: (l) => rank[l] >= min && l !== 'silent',
  };
}
