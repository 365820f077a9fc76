import type { AgentCard } from '@a2a-js/sdk';
import type { Logger } from '../base/log';
import type { A2aPeerRepository } from '../store/a2a-peer-repository';
import type { CodebaseRepository } from '../store/codebase-repository';
import type { AgentExecutor } from '../tasks/executor';
import type { TaskService } from '../tasks/service';
import type { SessionQueries } from './session-queries';

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
  /** How often a waiting tool reports progress when nothing else happened. */
  heartbeatMs?: number;
}
