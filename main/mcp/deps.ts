import type { AgentCard } from '@a2a-js/sdk';
import type { Logger } from '../base/log';
import type { Db } from '../store/open';
import type { AgentExecutor } from '../tasks/executor';
import type { TaskService } from '../tasks/service';

/** What the MCP tools and resources work against: the host's own services, in-process. */
export interface McpDeps {
  tasks: TaskService;
  db: Db;
  agents: ReadonlyMap<string, AgentExecutor>;
  card: () => AgentCard;
  log: Logger;
  /** How often a waiting tool reports progress when nothing else happened. */
  heartbeatMs?: number;
}
