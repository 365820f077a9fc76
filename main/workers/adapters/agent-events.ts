import { TaskState } from '@a2a-js/sdk';
import type { TaskUpdate } from '../../tasks/executor';
import { agentMessage } from '../../tasks/agent-message';
import type { AgentRun, OutputParser, RunEnd } from './adapter';
import { createRunOutput } from './run-output';
import { jsonObject, type JsonObject } from './json-line';

/** What one line of a coding agent's JSON output means, in the agent-neutral terms the task core needs. */
export type AgentEvent =
  /** The CLI's own session id: kept so the next message in this context continues it. */
  | { kind: 'session'; id: string }
  /** Reply text, appended verbatim to the `output` artifact; the text since the last progress is the final answer. */
  | { kind: 'text'; text: string }
  /** The agent is doing something (a tool call): a working status with this message. */
  | { kind: 'progress'; text: string }
  | { kind: 'failed'; text: string }
  /** The run's result; without text the reply so far is the answer. */
  | { kind: 'completed'; text?: string };

/** Maps one JSON line to events; lines it does not know map to none. */
export type EventMapper = (line: JsonObject) => AgentEvent[];

export interface AgentOutputOptions {
  agent: string;
  map: EventMapper;
  /** Called once per new session id the output reports. */
  onSession(id: string): void;
}


/** Metadata of status updates naming the agent's own session, for clients that want to resume it elsewhere. */
function sessionMetadata(agent: string, id: string | undefined): Record<string, unknown> | undefined {
  return id ? { agentSession: { agent, id } } : undefined;
}

/**
 * The output parser of a JSON-lines coding agent (opencode, claude, codex, gemini): the agent's
 * mapper says what each line means; this turns that into batched artifact and status updates.
 * Lines that are not JSON objects (warnings, a crash trace) are plain output.
 */
export function createAgentOutputParser(run: AgentRun, options: AgentOutputOptions): OutputParser {
  const { agent, map } = options;
  const out = createRunOutput(run);
  let settled = false;
  let session: string | undefined;
  let reply = '';

  function status(state: TaskState, text: string | undefined): TaskUpdate {
    if (state !== TaskState.TASK_STATE_WORKING) settled = true;
    return { kind: 'status', state, message: text ? agentMessage(run.task, text) : undefined, metadata: sessionMetadata(agent, session) };
  }

  function completed(text: string | undefined): TaskUpdate {
    return status(TaskState.TASK_STATE_COMPLETED, text ?? (reply.trim() || undefined));
  }

  return {
    get settled() {
      return settled;
    },
    lines(lines) {
      const batch = out.batch();
      for (const raw of lines) {
        if (settled) break;
        const line = jsonObject(raw);
        if (!line) {
          if (raw.trim()) batch.plain(raw);
          continue;
        }
        for (const event of map(line)) {
          if (settled) break;
          switch (event.kind) {
            case 'session':
              if (event.id === session) break;
              session = event.id;
              options.onSession(event.id);
              batch.push(status(TaskState.TASK_STATE_WORKING, undefined));
              break;
            case 'text':
              batch.text(event.text);
              reply += event.text;
              break;
            case 'progress':
              reply = '';
              out.remember(event.text);
              batch.push(status(TaskState.TASK_STATE_WORKING, event.text));
              break;
            case 'failed':
              batch.push(status(TaskState.TASK_STATE_FAILED, event.text));
              break;
            case 'completed':
              batch.push(completed(event.text));
              break;
          }
        }
      }
      return batch.done();
    },
    end(exit: RunEnd) {
      if (settled) return [];
      if (exit.exitCode === 0 && !exit.signal) return [completed(undefined)];
      return [status(TaskState.TASK_STATE_FAILED, out.failure(agent, exit))];
    },
  };
}
