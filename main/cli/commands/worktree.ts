import { join } from 'node:path';
import { parseDuration } from '../../auth/duration';
import { createCodebaseRepository } from '../../store/codebase-repository';
import { createTaskRepository } from '../../store/task-repository';
import { findTaskWorktrees, type TaskWorktree } from '../../workers/workspace/worktree-inventory';
import { pruneTaskWorktrees, removeTaskWorktree, shortAge, type WorktreeScope } from '../../workers/workspace/worktree-cleanup';
import { storeFlags, storeFlagsUsage, withHostDatabaseAsync } from '../host-database';
import { runSubcommand, type Subcommand } from '../subcommands';
import type { CliIo, Command } from '../command';
import { parseFlags } from '../flags';
import { table } from '../table';
import { UsageError } from '../usage-error';

/** Runs `use` with the worktrees folder, the registered codebases and the tasks of the host's database. */
function withScope<T>(values: { 'data-dir'?: string; config?: string }, use: (scope: WorktreeScope) => Promise<T>): Promise<T> {
  return withHostDatabaseAsync(values, (db, config) => {
    const tasks = createTaskRepository(db);
    return use({
      root: join(config.dataDir, 'worktrees'),
      codebases: createCodebaseRepository(db).list(),
      task: (id) => {
        const row = tasks.getTask(id);
        return row && { state: row.state, updatedAt: row.updated_at };
      },
    });
  });
}

function condition(wt: TaskWorktree): string {
  if (wt.repo === undefined || wt.problem !== undefined) return 'unreadable by git';
  if (wt.missing) return 'folder deleted';
  return wt.changes > 0 ? `uncommitted changes (${wt.changes})` : 'clean';
}

const label = (wt: TaskWorktree) => `${wt.codebase}/${wt.taskId}`;

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, storeFlags);
  const { root, rows } = await withScope(values, async (scope) => ({
    root: scope.root,
    rows: (await findTaskWorktrees(scope.root, scope.codebases)).map((wt) => [
      wt.codebase,
      wt.taskId,
      wt.branch ?? '-',
      scope.task(wt.taskId)?.state ?? 'unknown task',
      condition(wt),
    ]),
  }));
  if (rows.length === 0) {
    io.err(`No task worktrees in ${root}.`);
    return 0;
  }
  io.out(table([['CODEBASE', 'TASK', 'BRANCH', 'TASK STATE', 'WORKTREE'], ...rows]));
  return 0;
}

async function remove(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, { ...storeFlags, force: { type: 'boolean' } }, true);
  if (positionals.length !== 1) throw new UsageError('remove takes exactly one task id.');
  const result = await withScope(values, (scope) => removeTaskWorktree(scope, positionals[0]!, values.force ?? false));
  if (!result.ok) {
    io.err(`codetether worktree: ${result.error}`);
    return 1;
  }
  const { worktree, branch } = result.value;
  io.err(`Removed worktree ${worktree.dir}${branch ? ` and branch ${branch}` : ''}.`);
  return 0;
}

async function prune(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, { ...storeFlags, 'older-than': { type: 'string', default: '7d' }, 'dry-run': { type: 'boolean' } });
  const olderThanMs = parseDuration(values['older-than']);
  if (olderThanMs === undefined) throw new UsageError(`--older-than takes a number and a unit s, m, h, d or w, such as 7d; not "${values['older-than']}".`);
  const dryRun = values['dry-run'] ?? false;
  const { root, items } = await withScope(values, async (scope) => ({
    root: scope.root,
    items: await pruneTaskWorktrees(scope, { olderThanMs, now: Date.now(), dryRun }),
  }));
  if (items.length === 0) {
    io.err(`No task worktrees in ${root}.`);
    return 0;
  }
  for (const item of items) {
    const verb = !item.removed ? 'kept' : dryRun ? 'would remove' : 'removed';
    io.out(`${verb} ${label(item.worktree)}: ${item.note}`);
  }
  const removed = items.filter((i) => i.removed).length;
  io.err(`${dryRun ? 'Would remove' : 'Removed'} ${removed} of ${items.length} task worktrees (ended over ${shortAge(olderThanMs)} ago and clean).`);
  return items.some((i) => i.failed) ? 1 : 0;
}

const subcommands: Record<string, Subcommand> = { list, remove, prune };

export const worktreeCommand: Command = {
  name: 'worktree',
  summary: 'List and remove the git worktrees of tasks sent with "worktree": true',
  usage: `codetether worktree <list|remove|prune> [options]

Tasks with metadata "worktree": true run in <data-dir>/worktrees/<codebase>/<taskId> on branch
codetether/<taskId>; both stay after the task for review and merge until removed here.

  codetether worktree list
      codebase, task, branch, the task's state and whether the worktree has uncommitted changes
  codetether worktree remove <taskId> [--force]
      runs git worktree remove and git branch -d in the codebase's repository; refuses while the
      task is submitted or working
      --force  also remove uncommitted changes, an unmerged branch, or the worktree of a task
               that waits on input or is not in this host's database
  codetether worktree prune [--older-than <duration>] [--dry-run]
      removes the clean worktrees of tasks that ended over --older-than ago (default 7d, such as
      30m, 12h, 7d) and deletes their branches when HEAD has merged them; says why it keeps the rest
      --dry-run  only say what would go

${storeFlagsUsage}`,
  run: (argv, io) => runSubcommand(subcommands, argv, io),
};
