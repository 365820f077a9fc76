import type { StreamResponse, TaskState } from '@a2a-js/sdk';
import { mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { findExecutable } from '../../main/workers/adapters/find-executable';
import { contentText, type ChatRequest } from './fake-llm';

const binDir = join(import.meta.dirname, '../../node_modules/.bin');
/** PATH with the opencode of node_modules/.bin first. */
export const PATH = [binDir, process.env.PATH ?? '/usr/bin:/bin'].join(delimiter);
export const opencodeInstalled = findExecutable('opencode', PATH) !== undefined;

/** OpenCode's folders and update checks kept out of the real HOME and off the network (notes on OpenCode), as config `agentEnv.opencode`. */
export function hermeticEnv(dir: string): Record<string, string> {
  const home = join(dir, 'home');
  mkdirSync(join(home, 'tmp'), { recursive: true });
  return {
    HOME: home,
    // Bun unpacks native libraries there; inside `dir` they go with it.
    TMPDIR: join(home, 'tmp'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_STATE_HOME: join(home, 'state'),
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    npm_config_offline: 'true',
  };
}

export const userTexts = (r: ChatRequest) => r.messages.filter((m) => m.role === 'user').map((m) => contentText(m.content));
/** OpenCode asks for a session title in a request of its own, without tools. */
export const isTitleRequest = (r: ChatRequest) => !r.tools?.length;

/** The text of the last status update with a message. */
export function statusText(events: StreamResponse[]): string | undefined {
  for (const e of [...events].reverse()) {
    if (e.payload?.$case !== 'statusUpdate') continue;
    const part = e.payload.value.status?.message?.parts[0]?.content;
    if (part?.$case === 'text') return part.value;
  }
  return undefined;
}

export function finalState(events: StreamResponse[]): TaskState | undefined {
  const last = events.at(-1)?.payload;
  return last?.$case === 'statusUpdate' ? last.value.status?.state : undefined;
}

/** Every text chunk of the `output` artifact, joined. */
export function outputText(events: StreamResponse[]): string {
  return events
    .flatMap((e) => (e.payload?.$case === 'artifactUpdate' && e.payload.value.artifact?.artifactId === 'output' ? e.payload.value.artifact.parts : []))
    .map((p) => (p.content?.$case === 'text' ? p.content.value : ''))
    .join('');
}

/** The texts of every status update, in order: tool calls show here as progress. */
export function progressTexts(events: StreamResponse[]): string[] {
  return events.flatMap((e) => (e.payload?.$case === 'statusUpdate' ? e.payload.value.status?.message?.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')) ?? [] : []));
}

/** The agent's own session id, from the metadata of the stream's last status update. */
export function agentSessionId(events: StreamResponse[]): string | undefined {
  const last = events.at(-1)?.payload;
  const metadata = last?.$case === 'statusUpdate' ? last.value.metadata : undefined;
  return (metadata?.agentSession as { id?: string } | undefined)?.id;
}
