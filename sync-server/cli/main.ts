import { APP_VERSION } from '../../shared/version';
import { RelayConfigError } from '../config';
import { UsageError, type Io } from './io';
import { serve, serveUsage } from './serve';
import { token, tokenUsage } from './token';

const commands: Record<string, { run: (argv: string[], io: Io) => Promise<number>; usage: string }> = {
  serve: { run: serve, usage: serveUsage },
  token: { run: token, usage: tokenUsage },
};

const help = `codetether-relay ${APP_VERSION}: the CodeTether sync relay (y-websocket protocol)

Usage:
  codetether-relay serve --data-dir <dir> [--port <n>] [--host <addr>] [--redis <url>]
  codetether-relay token create --workspace <id> [--data-dir <dir>]
  codetether-relay token list | revoke <id> [--data-dir <dir>]

Run "codetether-relay <command> --help" for a command's options.`;

const defaultIo: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
};

/** Runs one invocation and resolves with its exit code; never throws. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(APP_VERSION);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`codetether-relay: unknown command "${name}".\n\n${help}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`codetether-relay ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    if (err instanceof RelayConfigError) {
      io.err(`codetether-relay ${name}: ${err.message}`);
      return 2;
    }
    io.err(`codetether-relay ${name}: ${(err as Error).message}`);
    return 1;
  }
}
