import type { AgentEvent, EventMapper } from './agent-events';
import { createCliAdapter, type CliAgentDeps } from './cli-agent';
import { brief, field, str } from './json-line';

/** `gemini --output-format stream-json` lines: init, message, tool_use, tool_result, error, result. */
export const mapGeminiLine: EventMapper = (line) => {
  const events: AgentEvent[] = [];
  switch (line.type) {
    case 'init': {
      const id = str(line.session_id);
      if (id) events.push({ kind: 'session', id });
      break;
    }
    case 'message': {
      const text = str(line.content);
      // Deltas are pieces of one reply; a whole message gets its own line.
      if (line.role === 'assistant' && text) events.push({ kind: 'text', text: line.delta === true || text.endsWith('\n') ? text : `${text}\n` });
      break;
    }
    case 'tool_use':
      events.push({ kind: 'progress', text: `${str(line.tool_name) ?? 'tool'}: ${brief(line.parameters)}` });
      break;
    case 'tool_result':
      if (line.status === 'error') events.push({ kind: 'progress', text: `tool failed: ${brief(field(line.error, 'message') ?? line.output)}` });
      break;
    case 'error':
      // Non-fatal by the format's definition: the result line says how the run ended.
      events.push({ kind: 'progress', text: `${str(line.severity) ?? 'warning'}: ${brief(line.message)}` });
      break;
    case 'result':
      if (line.status === 'success') events.push({ kind: 'completed' });
      else events.push({ kind: 'failed', text: `Gemini CLI failed: ${str(field(line.error, 'message')) ?? str(line.status) ?? 'error'}` });
      break;
  }
  return events;
};

export function createGeminiAdapter(deps: CliAgentDeps) {
  return createCliAdapter(
    {
      name: 'gemini',
      description: 'Gemini CLI, Google\'s coding agent (gemini -p).',
      tags: ['coding', 'gemini'],
      command: 'gemini',
      install: 'npm i -g @google/gemini-cli',
      passEnv: ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_APPLICATION_CREDENTIALS'],
      credentials: { files: ['.gemini/oauth_creds.json'], login: 'run "gemini" once and sign in' },
      args({ prompt, session, model }) {
        // "--prompt=" keeps a prompt that starts with "-" a value, not a flag; yolo: nobody is there to approve tools.
        return ['--output-format', 'stream-json', '--approval-mode', 'yolo', ...(model ? ['--model', model] : []), ...(session ? ['--resume', session] : []), `--prompt=${prompt}`];
      },
      map: mapGeminiLine,
    },
    deps,
  );
}
