import type { CliIo } from './command';
import { UsageError } from './usage-error';

export type Subcommand = (argv: string[], io: CliIo) => Promise<number>;

/** Runs `<command> <sub> ...`: the first argument names one of `subcommands`. */
export function runSubcommand(subcommands: Record<string, Subcommand>, argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const handler = sub === undefined ? undefined : subcommands[sub];
  if (!handler) throw new UsageError(sub === undefined ? 'a subcommand is required.' : `unknown subcommand "${sub}".`);
  return handler(rest, io);
}
