import type { Message, Task } from '@a2a-js/sdk';
import type { Codebase } from '../../store/codebase-repository';
import type { AgentSkillInfo, TaskUpdate } from '../../tasks/executor';

/** One run of an agent: the first for a task, or a continuation after input-required. */
export interface AgentRun {
  /** The task as committed when the run started, its whole history included. */
  task: Task;
  /** The user message that started or resumed this run. */
  message: Message;
  /** Where the process runs: its cwd. */
  codebase: Codebase;
  /** The task's own git worktree (its folder), when the run is in one; `codebase.path` is then inside it. */
  worktree?: string;
  /** The minimal environment every agent gets; the launch adds to it. */
  baseEnv: Readonly<Record<string, string>>;
}

export interface Launch {
  /** Executable and argv, never a shell string. */
  file: string;
  args: string[];
  /** The process's whole environment. */
  env: Record<string, string>;
  /** Called once the process has ended, to remove what the launch made (a task file, say). */
  cleanup(): void;
}

export interface RunEnd {
  exitCode: number;
  signal: number | null;
}

/** Turns one run's output into task updates. One per run: it keeps state across batches. */
export interface OutputParser {
  /** Whole lines of output, without line endings or terminal escapes. */
  lines(lines: string[]): TaskUpdate[];
  /** The process ended (its output all passed to `lines`): the closing updates, if the output did not settle the run. */
  end(exit: RunEnd): TaskUpdate[];
  /** The output reported a state that ends this run (completed, failed, input-required); later output is ignored. */
  readonly settled: boolean;
}

/**
 * A coding agent CLI, as the pty executor runs it. Continuing a session is the adapter's part:
 * a continued task is just another run whose `task.history` holds every message so far, so an
 * adapter hands its CLI that history or the CLI's own session id (kept in task or artifact metadata).
 */
/**
 * A launch, or why there is none: `error` goes to the task (and so to every client that reads
 * it); `logDetail` only to the host's log, for what a client must not see, such as its PATH.
 */
export type LaunchOutcome = { ok: true; value: Launch } | { ok: false; error: string; logDetail?: Record<string, unknown> };

/** Turns an agent's raw output into what the monitor's terminal shows, chunk by chunk. */
export interface TerminalView {
  push(data: string): string;
  /** What a last line without its newline still holds. */
  end(): string;
}

export interface AgentAdapter {
  readonly name: string;
  readonly description: string;
  readonly skill: AgentSkillInfo;
  /** What to run, or why it cannot run (a missing binary, say), worded for a person to fix. */
  launch(run: AgentRun): LaunchOutcome;
  parser(run: AgentRun): OutputParser;
  /** What the monitor's terminal shows of this run's output; without one, the bytes as they came. */
  terminal?(run: AgentRun): TerminalView;
}
