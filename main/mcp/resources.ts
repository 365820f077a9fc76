import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { TaskError } from '../tasks/task-error';
import type { McpDeps } from './deps';
import type { SessionQueries } from './session-queries';
import { artifactText } from '../tasks/task-text';

const TASK_OUTPUT = /^codetether:\/\/tasks\/([^/]+)\/output$/;
const SESSION = /^codetether:\/\/sessions\/([^/]+)$/;
const LISTED = 20;
const TRANSCRIPT_MESSAGES = 500;
/** Coalesces bursts (pty output arrives in many small events) into one update per window. */
const NOTIFY_WINDOW_MS = 250;

export const taskOutputUri = (taskId: string) => `codetether://tasks/${encodeURIComponent(taskId)}/output`;
export const sessionUri = (contextId: string) => `codetether://sessions/${encodeURIComponent(contextId)}`;

function notFound(uri: string, what: string): McpError {
  return new McpError(ErrorCode.InvalidParams, `${what} does not exist: ${uri}`);
}

/**
 * Task output and session transcripts as resources, with subscriptions: a subscribed client
 * gets notifications/resources/updated when the task (or any task of the session) has new
 * events, and reads the resource again. Returns the cleanup for when the MCP session ends.
 */
export function addResources(server: McpServer, deps: McpDeps, sessions: SessionQueries): () => void {
  const { tasks } = deps;

  server.registerResource(
    'task-output',
    new ResourceTemplate('codetether://tasks/{taskId}/output', {
      list: () => ({
        resources: tasks.list({ pageSize: LISTED, historyLength: 0, includeArtifacts: false }).tasks.map((t) => ({
          uri: taskOutputUri(t.id),
          name: `Output of task ${t.id}`,
          mimeType: 'text/plain',
        })),
      }),
    }),
    { title: 'Task output', description: 'The text a task produced so far. Subscribe to hear when it grows.', mimeType: 'text/plain' },
    (uri, { taskId }) => {
      try {
        const task = tasks.get(decodeURIComponent(String(taskId)), { historyLength: 0 });
        return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: artifactText(task) }] };
      } catch (err) {
        if (err instanceof TaskError) throw notFound(uri.href, 'Task');
        throw err;
      }
    },
  );

  server.registerResource(
    'session-transcript',
    new ResourceTemplate('codetether://sessions/{contextId}', {
      list: () => ({
        resources: sessions.list(LISTED).map((s) => ({ uri: sessionUri(s.contextId), name: s.title || `Session ${s.contextId}`, mimeType: 'application/json' })),
      }),
    }),
    { title: 'Session transcript', description: 'The messages of a session, oldest first, as JSON. Subscribe to hear about new ones.', mimeType: 'application/json' },
    (uri, { contextId }) => {
      const id = decodeURIComponent(String(contextId));
      const session = sessions.get(id);
      if (!session) throw notFound(uri.href, 'Session');
      const text = JSON.stringify({ session, messages: sessions.transcript(id, TRANSCRIPT_MESSAGES) }, null, 2);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text }] };
    },
  );

  const subscriptions = new Map<string, () => void>();
  const pending = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();

  const notify = (uri: string) => {
    if (pending.has(uri)) return;
    pending.add(uri);
    const timer = setTimeout(() => {
      timers.delete(timer);
      pending.delete(uri);
      if (subscriptions.has(uri) && server.isConnected()) {
        server.server.sendResourceUpdated({ uri }).catch(() => {
          // A client that went away has nothing left to notify.
        });
      }
    }, NOTIFY_WINDOW_MS);
    timers.add(timer);
  };

  function watch(uri: string): () => void {
    const task = TASK_OUTPUT.exec(uri);
    if (task) {
      const taskId = decodeURIComponent(task[1]!);
      if (!sessions.contextOf(taskId)) throw notFound(uri, 'Task');
      return tasks.subscribe(taskId, () => notify(uri));
    }
    const session = SESSION.exec(uri);
    if (session) {
      const contextId = decodeURIComponent(session[1]!);
      if (!sessions.get(contextId)) throw notFound(uri, 'Session');
      const known = new Map<string, boolean>();
      return tasks.subscribeAll((event) => {
        let mine = known.get(event.taskId);
        if (mine === undefined) known.set(event.taskId, (mine = sessions.contextOf(event.taskId) === contextId));
        if (mine) notify(uri);
      });
    }
    throw new McpError(ErrorCode.InvalidParams, `Cannot subscribe to ${uri}: only codetether://tasks/{taskId}/output and codetether://sessions/{contextId} are watchable.`);
  }

  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, ({ params }) => {
    if (!subscriptions.has(params.uri)) subscriptions.set(params.uri, watch(params.uri));
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, ({ params }) => {
    subscriptions.get(params.uri)?.();
    subscriptions.delete(params.uri);
    return {};
  });

  return () => {
    for (const stop of subscriptions.values()) stop();
    subscriptions.clear();
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    pending.clear();
  };
}
