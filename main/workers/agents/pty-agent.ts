import { TaskState } from '@a2a-js/sdk';
import type { Logger } from '../../base/log';
import type { CodebaseRepository } from '../../store/codebase-repository';
import type { AgentExecutor, ExecutionContext, TaskUpdate } from '../../tasks/executor';
import type { AgentAdapter, AgentRun, Launch } from '../adapters/adapter';
import { agentPath } from '../adapters/installation-bin';
import { agentMessage, textPart } from '../../tasks/agent-message';
import { resolveCodebase } from '../workspace/codebases';
import { createLineSplitter } from './line-splitter';
import { taskSetting } from '../../tasks/task-setting';
import type { PtyHost } from '../pty-host/client';
import type { OutputLog } from '../raw-output/output-log';
import { joinWorktree, taskWorktree, worktreeWanted, type Worktree } from '../workspace/worktrees';

export interface PtyAgentDeps {
  ptyHost: PtyHost;
  codebases: CodebaseRepository;
  /** Config `defaultCodebase`. */
  defaultCodebase?: string;
  log: Logger;
  /** Between SIGTERM and SIGKILL of the process group on cancel. */
  killGraceMs?: number;
  /** How long a process may linger after its output settled the run before it is ended. */
  lingerMs?: number;
  /** Keeps the raw bytes for the monitor's terminal; a remote worker has none (its host shows the artifact text). */
  output?: Pick<OutputLog, 'append' | 'end'>;
  /** `<dataDir>/worktrees`: where tasks with metadata `worktree: true` get their git worktree. Without it such tasks fail. */
  worktreesDir?: string;
}

/**
 * PATH (this installation's CLIs first, then the host's), HOME, LANG and TERM from here, PWD set
 * to the codebase: nothing else leaks into an agent.
 */
function minimalEnv(cwd: string): Record<string, string> {
  return {
    PATH: agentPath(process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'),
    HOME: process.env.HOME ?? cwd,
    LANG: process.env.LANG ?? 'C.UTF-8',
    TERM: 'xterm-256color',
    // Some CLIs (OpenCode) take their project from $PWD rather than from their cwd.
    PWD: cwd,
  };
}

/** Says where the task works, once, when its worktree is made: a working status for the client and an artifact that stays. */
function worktreeUpdates(ctx: ExecutionContext, wt: Worktree): TaskUpdate[] {
  const line = `worked in worktree ${wt.dir} on branch ${wt.branch}`;
  return [
    { kind: 'status', state: TaskState.TASK_STATE_WORKING, message: agentMessage(ctx.task, `Working in worktree ${wt.dir} on branch ${wt.branch}`), metadata: { worktree: { path: wt.dir, branch: wt.branch } } },
    {
      kind: 'artifact',
      lastChunk: true,
      artifact: { artifactId: 'worktree', name: 'worktree', description: 'The git worktree and branch the agent worked in; kept for review and merge.', parts: [textPart(line)], metadata: { path: wt.dir, branch: wt.branch }, extensions: [] },
    },
  ];
}

function runProcess(adapter: AgentAdapter, deps: PtyAgentDeps, ctx: ExecutionContext, run: AgentRun, launch: Launch): Promise<void> {
  const failed = (text: string): TaskUpdate => ({ kind: 'status', state: TaskState.TASK_STATE_FAILED, message: agentMessage(ctx.task, text) });
  const parser = adapter.parser(run);
  const view = adapter.terminal?.(run);
  const splitter = createLineSplitter();
  const graceMs = deps.killGraceMs ?? 1000;
  let reporting = true;
  let linger: NodeJS.Timeout | undefined;

  return new Promise<void>((resolve) => {
    // One commit per output batch: the task core writes each call in one transaction.
    const report = (updates: TaskUpdate[]) => {
      if (!reporting || updates.length === 0) return;
      try {
        ctx.update(...updates);
      } catch (err) {
        // The task was canceled or ended meanwhile: stop reporting and end the process.
        deps.log.debug('agent output not committed', { taskId: ctx.task.id, error: (err as Error).message });
        reporting = false;
        proc.kill('SIGTERM', graceMs);
      }
    };
    const onAbort = () => {
      reporting = false;
      proc.kill('SIGTERM', graceMs);
    };
    const proc = deps.ptyHost.spawn(
      { file: launch.file, args: launch.args, cwd: run.codebase.path, env: launch.env },
      {
        onData(data, seq) {
          if (deps.output) deps.output.append(ctx.task.id, view ? view.push(data) : data);
          report(parser.lines(splitter.push(data)));
          proc.ack(seq);
          if (parser.settled) linger ??= setTimeout(() => proc.kill('SIGTERM', graceMs), deps.lingerMs ?? 2000);
        },
        onExit(exit) {
          clearTimeout(linger);
          ctx.signal.removeEventListener('abort', onAbort);
          // Before the final status, so a monitor that sees the task end has all of its output.
          if (deps.output && view) deps.output.append(ctx.task.id, view.end());
          deps.output?.end(ctx.task.id);
          if (exit.error) report([failed(`Agent "${adapter.name}" stopped: ${exit.error}`)]);
          else report([...parser.lines(splitter.end()), ...parser.end(exit)]);
          resolve();
        },
      },
    );
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** An AgentExecutor that runs `adapter`'s CLI in the pty host, in the task's codebase. */
export function createPtyAgent(adapter: AgentAdapter, deps: PtyAgentDeps): AgentExecutor {
  return {
    name: adapter.name,
    description: adapter.description,
    skill: adapter.skill,
    async execute(ctx) {
      const fail = (text: string) => ctx.update({ kind: 'status', state: TaskState.TASK_STATE_FAILED, message: agentMessage(ctx.task, text) });
      const codebase = resolveCodebase(deps.codebases, { requested: taskSetting(ctx.task, ctx.message, 'codebase'), defaultName: deps.defaultCodebase, agent: adapter.name });
      if (!codebase.ok) return fail(codebase.error);
      const wanted = worktreeWanted(taskSetting(ctx.task, ctx.message, 'worktree'));
      if (!wanted.ok) return fail(wanted.error);
      let worktree: Worktree | undefined;
      if (wanted.value) {
        if (!deps.worktreesDir) return fail(`Agent "${adapter.name}" cannot run in a worktree on this machine: it has no data folder for worktrees.`);
        const made = wanted.value === true ? await taskWorktree(codebase.value, ctx.task.id, deps.worktreesDir) : await joinWorktree(codebase.value, wanted.value.join, deps.worktreesDir);
        if (!made.ok) return fail(made.error);
        worktree = made.value;
      }
      // In a worktree the agent sees it as the codebase: its cwd, PWD and the path it is told.
      const where = worktree ? { ...codebase.value, path: worktree.cwd } : codebase.value;
      const run: AgentRun = { task: ctx.task, message: ctx.message, codebase: where, worktree: worktree?.dir, baseEnv: minimalEnv(where.path) };
      const launch = adapter.launch(run);
      if (!launch.ok) {
        deps.log.warn('agent cannot start', { agent: adapter.name, taskId: ctx.task.id, reason: launch.error, ...launch.logDetail });
        return fail(launch.error);
      }
      try {
        if (worktree?.created) ctx.update(...worktreeUpdates(ctx, worktree));
        else if (ctx.task.status?.state === TaskState.TASK_STATE_SUBMITTED) ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING });
        await runProcess(adapter, deps, ctx, run, launch.value);
      } finally {
        launch.value.cleanup();
      }
    },
  };
}
