import type { AgentCard } from '@a2a-js/sdk';
import type { CreateRunRequest, PrdChatRequest, PrdChatResult, RunStatus, RunSummaryView, RunView } from '../../shared/ralph-api';
import type { Logger } from '../base/log';
import type { AuditContext } from '../auth/actor';
import type { A2aPeerRepository } from '../store/a2a-peer-repository';
import type { AuditLog } from '../store/audit-repository';
import type { CodebaseRepository } from '../store/codebase-repository';
import type { AgentExecutor } from '../tasks/executor';
import type { TaskService } from '../tasks/service';
import type { SessionQueries } from './session-queries';

/** Ralph as the MCP tools drive it (main/ralph's service fits it; it throws an Error with a message to show on refusal). */
export interface RalphTools {
  createRun(req: CreateRunRequest): Promise<RunView>;
  get(id: string): RunView;
  list(options?: { status?: RunStatus; limit?: number }): RunSummaryView[];
  cancel(id: string): Promise<RunView>;
  prdChat(req: PrdChatRequest, signal?: AbortSignal): Promise<PrdChatResult>;
}

/** What the MCP tools and resources work against: the host's own services, in-process. */
export interface McpDeps {
  tasks: TaskService;
  sessions: SessionQueries;
  codebases: CodebaseRepository;
  /** A2A agents this host knows of, besides its own. */
  peers: A2aPeerRepository;
  agents: ReadonlyMap<string, AgentExecutor>;
  card: () => AgentCard;
  log: Logger;
  /** Ralph's runs; without it the Ralph tools are not offered. */
  ralph?: RalphTools;
  /** How often a waiting tool reports progress when nothing else happened. */
  heartbeatMs?: number;
  /** Where codebase changes are recorded. */
  audit?: Pick<AuditLog, 'append'>;
  /** Who the session acts for (set per session from the request that opened it). */
  origin?: AuditContext;
}
