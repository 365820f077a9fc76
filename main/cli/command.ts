export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Resolves with the process exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}
