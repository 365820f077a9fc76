import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { APP_NAME, APP_VERSION } from '../../shared/version';
import type { McpDeps } from './deps';
import { addResources } from './resources';
import { addAgentTools } from './tools/agent-tools';
import { addCodebaseTools } from './tools/codebase-tools';
import { addRlmTools } from './tools/rlm-tools';
import { addSessionTools } from './tools/session-tools';
import { addRalphTools } from './tools/ralph-tools';
import { addTaskTools } from './tools/task-tools';

const INSTRUCTIONS = `CodeTether runs AI coding agents on this machine's registered codebases.
Hand work to an agent with send_task_and_wait (or send_task to return at once), follow it with get_task_output,
answer its questions with answer_task, continue a conversation with resume_session. list_agents and
list_codebases show what a task can use. rlm_query answers a question over a whole codebase or a very large text.
ralph_create_run implements a whole PRD story by story; prd_chat drafts one.`;

/**
 * One MCP server per MCP session (the SDK binds a server to one transport). The tools work on
 * the host's services in-process; closing the server drops its resource subscriptions.
 */
export function createMcpServer(sessionDeps: McpDeps): McpServer {
  // Tasks this session creates are recorded as its caller's.
  const { tasks, origin } = sessionDeps;
  const deps: McpDeps = origin ? { ...sessionDeps, tasks: { ...tasks, send: (input, options) => tasks.send({ ...input, origin: input.origin ?? origin }, options) } } : sessionDeps;
  const server = new McpServer(
    { name: 'codetether', title: APP_NAME, version: APP_VERSION },
    { instructions: INSTRUCTIONS, capabilities: { tools: {}, resources: { subscribe: true, listChanged: true } } },
  );
  const { sessions } = deps;
  addTaskTools(server, deps);
  addSessionTools(server, deps, sessions);
  addCodebaseTools(server, deps);
  addAgentTools(server, deps);
  addRlmTools(server, deps);
  if (deps.ralph) addRalphTools(server, deps.ralph);
  const dropSubscriptions = addResources(server, deps, sessions);
  server.server.onclose = dropSubscriptions;
  return server;
}
