import { loadConfig } from '../../base/config';
import type { CliIo, Command } from '../command';
import { parseFlags } from '../flags';
import { storeFlags, storeFlagsUsage } from '../host-database';
import { runSubcommand, type Subcommand } from '../subcommands';

/** `email test`: each step on its own line; the first that fails says what failed, and the exit code is 1. */
async function test(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, { ...storeFlags, to: { type: 'string' } });
  const config = loadConfig({ configFile: values.config, flags: { dataDir: values['data-dir'] } });
  if (!config.email) {
    io.err('No email settings: add an "email" section to config.json (see README, "Email") or fill in Settings › Email in the monitor.');
    return 1;
  }
  // Loaded here: the SMTP and IMAP clients would slow every other command's start.
  const { testEmail } = await import('../../notify/email-test');
  const report = await testEmail(config.email, values.to ? [values.to] : undefined);
  for (const step of report.steps) (step.ok ? io.out : io.err)(`${step.ok ? 'ok  ' : 'FAIL'} ${step.message}`);
  return report.ok ? 0 : 1;
}

const subcommands: Record<string, Subcommand> = { test };

export const emailCommand: Command = {
  name: 'email',
  summary: 'Check the email settings: email test sends a test mail and says what failed',
  usage: `Usage: codetether email test [--to ADDRESS] [options]

  test    resolve the SMTP server, connect, log in and send a test mail to the recipients (or --to),
          then log in to IMAP when it is configured; names the step that failed (DNS, connection,
          TLS, authentication, the server refusing the mail) and exits 1

${storeFlagsUsage}`,
  run: (argv, io) => runSubcommand(subcommands, argv, io),
};
