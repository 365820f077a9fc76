import { TaskState } from '@a2a-js/sdk';
import type { TaskUpdate } from '../../tasks/executor';
import { agentMessage, textPart } from '../agent-message';
import type { AgentRun, OutputParser, RunEnd } from './adapter';
import { OUTPUT_ARTIFACT } from './command-output';
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

const TAIL_LINES = 20;

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
  let outputExists = run.task.artifacts.some((a) => a.artifactId === OUTPUT_ARTIFACT);
  let settled = false;
  let session: string | undefined;
  let reply = '';
  const tail: string[] = [];

  function remember(text: string): void {
    tail.push(...text.split('\n').filter((l) => l.trim()));
    if (tail.length > TAIL_LINES) tail.splice(0, tail.length - TAIL_LINES);
  }

  function output(text: string): TaskUpdate {
    const append = outputExists;
    outputExists = true;
    return {
      kind: 'artifact',
      append,
      artifact: { artifactId: OUTPUT_ARTIFACT, name: OUTPUT_ARTIFACT, description: 'The agent\'s text output', parts: [textPart(text)], metadata: undefined, extensions: [] },
    };
  }

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
      const updates: TaskUpdate[] = [];
      let text = '';
      const flush = () => {
        if (text) updates.push(output(text));
        text = '';
      };
      for (const raw of lines) {
        if (settled) break;
        const line = jsonObject(raw);
        if (!line) {
          if (!raw.trim()) continue;
          text += raw + '\n';
          remember(raw);
          continue;
        }
        for (const event of map(line)) {
          if (settled) break;
          switch (event.kind) {
            case 'session':
              if (event.id === session) break;
              session = event.id;
              options.onSession(event.id);
              flush();
              updates.push(status(TaskState.TASK_STATE_WORKING, undefined));
              break;
            case 'text':
              text += event.text;
              reply += event.text;
              remember(event.text);
              break;
            case 'progress':
              flush();
              reply = '';
              remember(event.text);
              updates.push(status(TaskState.TASK_STATE_WORKING, event.text));
              break;
            case 'failed':
              flush();
              updates.push(status(TaskState.TASK_STATE_FAILED, event.text));
              break;
            case 'completed':
              flush();
              updates.push(completed(event.text));
              break;
          }
        }
      }
      flush();
      return updates;
    },
    end(exit: RunEnd) {
      if (settled) return [];
      if (exit.exitCode === 0 && !exit.signal) return [completed(undefined)];
      const how = exit.signal ? `was killed by signal ${exit.signal}` : `exited with code ${exit.exitCode}`;
      const last = tail.length ? `. Last output:\n${tail.join('\n')}` : ', printing nothing';
      return [status(TaskState.TASK_STATE_FAILED, `Agent "${agent}" ${how}${last}`)];
    },
  };
}
