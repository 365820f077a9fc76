import { type EventMapper } from './agent-events';
import { createCliAdapter, type CliAgentDeps } from './cli-agent';
import { brief, field, str } from './json-line';
import type { StepMarker } from './terminal-view';
import { opencodeConfig, OPENCODE_KEY_VARS, type LlmSettings } from './opencode-config';

// What OpenCode's argument parser turns into a number, which its message join then fails on ("G.includes is not a function").
const numeric = /^[-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$|^0x[0-9a-f]+$/i;

/**
 * OpenCode splits its message positionals with spaces and quotes any element holding one, so an
 * element per space-free piece (after "--", so a piece like "-x" is no flag) reaches it verbatim.
 * A piece that reads as a number ("attempt 1 of 3") would crash it, so it travels joined to its
 * neighbour by a tab, which the model reads as the space it was.
 */
export function verbatimPrompt(prompt: string): string[] {
  const pieces: string[] = [];
  for (const piece of prompt.split(' ')) {
    const last = pieces.length - 1;
    if (last >= 0 && (numeric.test(piece) || numeric.test(pieces[last]!))) pieces[last] = `${pieces[last]}\t${piece}`;
    else pieces.push(piece);
  }
  return ['--', ...pieces];
}

/** `opencode run --format json` lines: {type, sessionID, part | error}. */
export const mapOpencodeLine: EventMapper = (line) => {
  const events: ReturnType<EventMapper> = [];
  const session = str(line.sessionID);
  if (session) events.push({ kind: 'session', id: session });
  const part = line.part;
  switch (line.type) {
    case 'text': {
      const text = str(field(part, 'text'));
      if (text) events.push({ kind: 'text', text: text.endsWith('\n') ? text : `${text}\n` });
      break;
    }
    case 'tool_use': {
      const tool = str(field(part, 'tool')) ?? 'tool';
      const state = field(part, 'state');
      const error = str(field(state, 'error'));
      const what = str(field(state, 'title')) || brief(field(state, 'input'));
      events.push({ kind: 'progress', text: error ? `${tool} failed: ${brief(error)}` : `${tool}: ${what}` });
      break;
    }
    case 'error': {
      const error = line.error;
      const message = str(field(field(error, 'data'), 'message')) ?? str(field(error, 'message')) ?? str(field(error, 'name')) ?? 'unknown error';
      events.push({ kind: 'failed', text: `OpenCode failed: ${message}` });
      break;
    }
  }
  return events;
};

/** OpenCode's step_start and step_finish lines (one model turn each), as rules in the terminal. */
export const opencodeStep: StepMarker = (line) => {
  if (line.type === 'step_start') return 'step';
  if (line.type !== 'step_finish') return undefined;
  const reason = str(field(line.part, 'reason'));
  const tokens = field(field(line.part, 'tokens'), 'output');
  return ['step done', reason && reason !== 'stop' ? reason : undefined, typeof tokens === 'number' ? `${tokens} tokens out` : undefined].filter(Boolean).join(' · ');
};

export function createOpencodeAdapter(llm: LlmSettings, deps: CliAgentDeps) {
  return createCliAdapter(
    {
      name: 'opencode',
      description: 'OpenCode, the open-source coding agent: reads, edits and runs code in the codebase.',
      tags: ['coding', 'opencode'],
      command: 'opencode',
      install: 'npm i -g opencode-ai',
      passEnv: OPENCODE_KEY_VARS,
      env(request, env) {
        const config = opencodeConfig(llm, request.model, env);
        if (!config.ok) return config;
        return {
          ok: true,
          value: {
            OPENCODE_CONFIG_CONTENT: JSON.stringify(config.value),
            OPENCODE_DISABLE_AUTOUPDATE: '1',
            // With our endpoint as the provider the models catalog is not needed; fetching it stalls offline.
            ...(llm.baseUrl ? { OPENCODE_DISABLE_MODELS_FETCH: '1' } : {}),
          },
        };
      },
      args({ prompt, session, model }) {
        const chosen = model?.includes('/') ? model : undefined;
        return ['run', '--format', 'json', ...(chosen ? ['--model', chosen] : []), ...(session ? ['--session', session] : []), ...verbatimPrompt(prompt)];
      },
      map: mapOpencodeLine,
      step: opencodeStep,
    },
    deps,
  );
}
