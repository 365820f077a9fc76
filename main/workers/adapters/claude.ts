import type { AgentEvent, EventMapper } from './agent-events';
import { createCliAdapter, type CliAgentDeps } from './cli-agent';
import { brief, field, str } from './json-line';

/** The input field that says best what a Claude Code tool call does. */
function toolSubject(input: unknown): string {
  return str(field(input, 'file_path')) ?? str(field(input, 'command')) ?? str(field(input, 'pattern')) ?? str(field(input, 'url')) ?? brief(input);
}

/** `claude -p --output-format stream-json --verbose` lines: system (init), assistant, user (tool results), result. */
export const mapClaudeLine: EventMapper = (line) => {
  const events: AgentEvent[] = [];
  const session = str(line.session_id);
  if (session) events.push({ kind: 'session', id: session });
  switch (line.type) {
    case 'assistant': {
      const content = field(line.message, 'content');
      for (const block of Array.isArray(content) ? content : []) {
        const type = field(block, 'type');
        const text = str(field(block, 'text'));
        if (type === 'text' && text) events.push({ kind: 'text', text: text.endsWith('\n') ? text : `${text}\n` });
        if (type === 'tool_use') events.push({ kind: 'progress', text: `${str(field(block, 'name')) ?? 'tool'}: ${brief(toolSubject(field(block, 'input')))}` });
      }
      break;
    }
    case 'result': {
      const result = str(line.result);
      if (line.is_error === true || (typeof line.subtype === 'string' && line.subtype !== 'success')) {
        events.push({ kind: 'failed', text: `Claude Code failed: ${result || str(line.subtype) || 'error'}` });
      } else {
        events.push({ kind: 'completed', text: result || undefined });
      }
      break;
    }
  }
  return events;
};

export function createClaudeAdapter(deps: CliAgentDeps) {
  return createCliAdapter(
    {
      name: 'claude',
      description: 'Claude Code, Anthropic\'s coding agent (claude -p).',
      tags: ['coding', 'claude'],
      command: 'claude',
      install: 'npm i -g @anthropic-ai/claude-code',
      passEnv: ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_AUTH_TOKEN'],
      credentials: { files: ['.claude/.credentials.json'], login: 'run "claude" once and log in' },
      args({ prompt, session, model }) {
        // acceptEdits: file edits go through, nobody is there to approve them; other tools stay gated.
        return ['-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', ...(model ? ['--model', model] : []), ...(session ? ['--resume', session] : []), '--', prompt];
      },
      map: mapClaudeLine,
    },
    deps,
  );
}
