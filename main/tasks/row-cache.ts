import type { TaskRow } from '../store/task-repository';
import { isActiveName } from './states';

/**
 * Rows of active tasks as last committed by the task service, so an agent's next update
 * starts from a copy instead of reading its row back (one SELECT per unit of work). A row is
 * remembered only after the commit holding it succeeded; a task written in the batch still
 * open is read from the writer, since that batch may yet fail. Only the task service writes
 * task rows of this device (sync writes only rows of other devices' tasks), so nothing else
 * can make an entry stale. Tasks that stop (interrupted, ended) are dropped: the cache holds
 * the running work only.
 */
export function createRowCache() {
  const rows = new Map<string, TaskRow>();
  /** Task id -> the unit that last wrote it, until that unit's commit is remembered. */
  const inOpenBatch = new Map<string, object>();
  return {
    get(taskId: string): TaskRow | undefined {
      if (inOpenBatch.has(taskId)) return undefined;
      const row = rows.get(taskId);
      return row && { ...row };
    },
    /** No batch is open: nothing written is uncommitted any more (also what a failed commit left marked). */
    batchClosed(): void {
      inOpenBatch.clear();
    },
    /** A unit of work wrote `written`; the returned function, run after its commit, remembers them as they were. */
    wrote(written: Iterable<TaskRow>): () => void {
      const unit = {};
      const copies = [...written].map((row) => ({ ...row }));
      for (const row of copies) inOpenBatch.set(row.id, unit);
      return () => {
        for (const row of copies) {
          if (inOpenBatch.get(row.id) === unit) inOpenBatch.delete(row.id);
          if (isActiveName(row.state)) rows.set(row.id, row);
          else rows.delete(row.id);
        }
      };
    },
    /** The task is gone: never hand out its row again. */
    drop(taskId: string): void {
      rows.delete(taskId);
    },
    clear(): void {
      rows.clear();
      inOpenBatch.clear();
    },
  };
}
