/**
 * A command that cannot do what it was asked, for a reason in the world (a folder that does not
 * exist, an agent this machine lacks): printed as one line, without the usage text, which would
 * bury the reason. Exit code 2 when the input named the missing thing, else 1.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
