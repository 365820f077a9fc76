export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type Log = Record<Exclude<LogLevel, 'silent'>, (msg: string, fields?: Record<string, unknown>) => void>;

/** One JSON object per line on stderr, so stdout carries only what the CLI means to print. */
export function createLog(level: LogLevel, sink: (line: string) => void = (line) => process.stderr.write(line + '\n')): Log {
  const emit = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] < rank[level]) return;
    sink(JSON.stringify({ t: new Date().toISOString(), level: lvl, scope: 'relay', msg, ...fields }));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
