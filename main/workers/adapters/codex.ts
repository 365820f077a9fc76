import type { AgentEvent, EventMapper } from './agent-events';
import { createCliAdapter, type CliAgentDeps } from './cli-agent';
import { brief, field, str } from './json-line';

function changedPaths(item: unknown): string {
  const changes = field(item, 'changes');
  return (Array.isArray(changes) ? changes : []).map((c) => `${str(field(c, 'kind')) ?? 'update'} ${str(field(c, 'path')) ?? '?'}`).join(', ');
}

/** `codex exec --json` lines: thread.started, turn.*, item.started/updated/completed, error. */
export const mapCodexLine: EventMapper = (line) => {
  const events: AgentEvent[] = [];
  const item = line.item;
  const itemType = field(item, 'type');
  switch (line.type) {
    case 'thread.started': {
      const id = str(line.thread_id);
      if (id) events.push({ kind: 'session', id });
      break;
    }
    case 'item.started':
      if (itemType === 'command_execution') events.push({ kind: 'progress', text: `$ ${brief(field(item, 'command'))}` });
      if (itemType === 'mcp_tool_call') events.push({ kind: 'progress', text: `${str(field(item, 'server')) ?? 'mcp'}: ${str(field(item, 'tool')) ?? 'tool'}` });
      if (itemType === 'web_search') events.push({ kind: 'progress', text: `search: ${brief(field(item, 'query'))}` });
      break;
    case 'item.completed': {
      const text = str(field(item, 'text'));
      if (itemType === 'agent_message' && text) events.push({ kind: 'text', text: text.endsWith('\n') ? text : `${text}\n` });
      if (itemType === 'file_change') events.push({ kind: 'progress', text: `files: ${brief(changedPaths(item))}` });
      if (itemType === 'error') events.push({ kind: 'progress', text: `warning: ${brief(text ?? field(item, 'message'))}` });
      break;
    }
    case 'turn.completed':
      events.push({ kind: 'completed' });
      break;
    case 'turn.failed':
    case 'error': {
      const message = str(field(line.error, 'message')) ?? str(line.message) ?? 'unknown error';
      events.push({ kind: 'failed', text: `Codex failed: ${message}` });
      break;
    }
  }
  return events;
};

export function createCodexAdapter(deps: CliAgentDeps) {
  return createCliAdapter(
    {
      name: 'codex',
      description: 'Codex CLI, OpenAI\'s coding agent (codex exec).',
      tags: ['coding', 'codex'],
      command: 'codex',
      install: 'npm i -g @openai/codex',
      passEnv: ['OPENAI_API_KEY', 'CODEX_API_KEY'],
      credentials: { files: ['.codex/auth.json'], login: 'run "codex login"' },
      args({ prompt, session, model }) {
        // Codebases need not be git repositories; workspace-write lets it edit the codebase and nothing else.
        const options = ['--json', '--skip-git-repo-check', '--sandbox', 'workspace-write', ...(model ? ['--model', model] : [])];
        return ['exec', ...options, ...(session ? ['resume', session] : []), '--', prompt];
      },
      map: mapCodexLine,
    },
    deps,
  );
}
