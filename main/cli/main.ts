import { ConfigError } from '../base/config';
import { HostStartError } from '../base/errors';
import { APP_VERSION } from '../../shared/version';
import type { CliIo, Command } from './command';
import { auditCommand } from './commands/audit';
import { codebaseCommand } from './commands/codebase';
import { desktopCommand } from './commands/desktop';
import { emailCommand } from './commands/email';
import { mcpCommand } from './commands/mcp';
import { mcpConfigCommand } from './commands/mcp-config';
import { oauthCommand } from './commands/oauth';
import { rlmCommand } from './commands/rlm';
import { ralphCommand } from './commands/ralph';
import { serveCommand } from './commands/serve';
import { syncCommand } from './commands/sync';
import { tokenCommand } from './commands/token';
import { workerCommand } from './commands/worker';
import { worktreeCommand } from './commands/worktree';
import { CliError } from './cli-error';
import { UsageError } from './usage-error';

export const commands: Command[] = [serveCommand, desktopCommand, tokenCommand, codebaseCommand, syncCommand, mcpCommand, mcpConfigCommand, workerCommand, worktreeCommand, rlmCommand, ralphCommand, emailCommand, auditCommand, oauthCommand];

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
};

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `codetether ${APP_VERSION}: one agent hub over your machines

Usage: codetether <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "codetether <command> --help" for a command's options.
Global: --help, --version`;
}

/** Runs one CLI invocation and resolves with its exit code; never throws. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(help());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    io.out(APP_VERSION);
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    io.err(`codetether: unknown command "${first}".\n\n${help()}`);
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
      io.err(`codetether ${command.name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    if (err instanceof CliError) {
      io.err(`codetether ${command.name}: ${err.message}`);
      return err.exitCode;
    }
    if (err instanceof ConfigError || err instanceof HostStartError) {
      io.err(`codetether ${command.name}: ${err.message}`);
      return 1;
    }
    io.err(`codetether ${command.name}: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
}
