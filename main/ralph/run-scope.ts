import type { RalphLimits } from '../../shared/ralph-api';
import type { RalphRepository, RalphRunRow } from '../store/ralph-repository';
import type { TaskService } from '../tasks/service';
import type { RalphStore } from './context';
import type { Prd } from './prd';

/** What one run's loop, its attempts and its commits share. */
export interface RunScope {
  runId: string;
  prd: Prd;
  limits: RalphLimits;
  store: RalphStore;
  repo: RalphRepository;
  tasks: () => TaskService;
  /** The run's row as committed or written so far. */
  run(): RalphRunRow;
  /** The codebase's folder in the run's worktree: prd.json and progress.txt live there. */
  runCwd(): string;
  /** Aborted when the run stops: canceled, a limit reached, or the host shutting down. */
  signal: AbortSignal;
  stopping(): boolean;
}
