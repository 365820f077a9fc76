import type { Logger } from '../base/log';
import type { CodebaseRepository } from '../store/codebase-repository';
import type { CommitBatcher } from '../store/commit-batcher';
import type { RalphLogRow, RalphRepository } from '../store/ralph-repository';
import type { TaskService } from '../tasks/service';

export interface RalphDeps {
  /** The host's task service; a getter, since the `ralph` agent is made before the service that runs it. */
  tasks: () => TaskService;
  repo: RalphRepository;
  /** The task core's group commit: Ralph's writes share its transactions, so an attempt and its child task commit together. */
  batch: CommitBatcher;
  codebases: CodebaseRepository;
  /** `<dataDir>/worktrees`: runs and parallel stories get their worktrees under `<codebase>/`. */
  worktreesDir: string;
  /** The coding agent of a codebase that names none. */
  defaultAgent: (codebase: string) => string;
  log: Logger;
}

export type RunChange = { runId: string; log?: RalphLogRow };
type Listener = (change: RunChange) => void;

/**
 * Ralph's writes and their fan-out: every write goes into the task core's open group commit,
 * and listeners (SSE streams, the loop's own waits) hear of it once it is committed.
 */
export function createRalphStore(deps: Pick<RalphDeps, 'repo' | 'batch' | 'log'>) {
  const listeners = new Set<Listener>();
  const notify = (change: RunChange) => {
    deps.batch.afterCommit(() => {
      for (const l of [...listeners]) {
        try {
          l(change);
        } catch (err) {
          deps.log.warn('ralph listener failed', { error: (err as Error).message });
        }
      }
    });
  };
  return {
    repo: deps.repo,
    /** Runs `fn` in the open group commit and tells listeners of `runId` once it is committed. */
    write<T>(runId: string, fn: () => T): T {
      const value = deps.batch.run(fn);
      notify({ runId });
      return value;
    },
    log(runId: string, type: string, storyId: string | null, message: string): void {
      const row = deps.batch.run(() => deps.repo.appendLog(runId, { at: Date.now(), type, storyId, message }));
      notify({ runId, log: row });
    },
    durable: () => deps.batch.durable(),
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type RalphStore = ReturnType<typeof createRalphStore>;
