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
 * One JSON object per line on stderr (stdout stays free for protocol output such as `codetether mcp`).
 * The sink is injectable so tests and the desktop app can capture lines.
 */
export function createLogger(
  level: LogLevel,
  sink: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  scope?: string,
): Logger {
  const min = rank[level];
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] < min) return;
    const record: Record<string, unknown> = { t: new Date().toISOString(), level: lvl };
    if (scope) record.scope = scope;
    record.msg = msg;
    sink(JSON.stringify(fields ? Object.assign(record, fields) : record));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (s) => createLogger(level, sink, scope ? `${scope}.${s}` : s),
    enabled: (l) => rank[l] >= min && l !== 'silent',
  };
}
