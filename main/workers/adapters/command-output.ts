import { Part, TaskState } from '@a2a-js/sdk';
import type { TaskUpdate } from '../../tasks/executor';
import { agentMessage, textPart } from '../../tasks/agent-message';
import type { AgentRun, OutputParser, RunEnd } from './adapter';
import { jsonObject, type JsonObject } from './json-line';
import { createRunOutput, OUTPUT_ARTIFACT } from './run-output';


const states: Record<string, TaskState> = {
  working: TaskState.TASK_STATE_WORKING,
  'input-required': TaskState.TASK_STATE_INPUT_REQUIRED,
  'auth-required': TaskState.TASK_STATE_AUTH_REQUIRED,
  failed: TaskState.TASK_STATE_FAILED,
  rejected: TaskState.TASK_STATE_REJECTED,
  completed: TaskState.TASK_STATE_COMPLETED,
};


function parts(value: unknown): Part[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  try {
    return value.map((p) => Part.fromJSON(p));
  } catch {
    return undefined;
  }
}

/**
 * The command agent's JSON-lines protocol (docs/agent-protocol.md). A line that is not one of
 * its events, JSON or not, is plain output; so a CLI that knows nothing of the protocol works.
 */
export function createCommandOutputParser(run: AgentRun, agentName: string): OutputParser {
  const out = createRunOutput(run);
  let settled = false;
  /** Whether the run has printed or reported anything: a `message` answer must come first. */
  let spoke = false;

  function status(state: TaskState, text: string | undefined): TaskUpdate {
    if (state !== TaskState.TASK_STATE_WORKING) settled = true;
    return { kind: 'status', state, message: text ? agentMessage(run.task, text) : undefined };
  }

  /** The update a protocol event makes, or undefined when the line is plain output. */
  function event(line: JsonObject): TaskUpdate | undefined {
    const text = typeof line.text === 'string' ? line.text : undefined;
    switch (line.type) {
      case 'artifact': {
        if (typeof line.name !== 'string' || !line.name || line.name === OUTPUT_ARTIFACT) return undefined;
        const content = text !== undefined ? [textPart(text)] : parts(line.parts);
        if (!content) return undefined;
        const description = typeof line.description === 'string' ? line.description : '';
        return { kind: 'artifact', lastChunk: true, artifact: { artifactId: line.name, name: line.name, description, parts: content, metadata: undefined, extensions: [] } };
      }
      case 'status': {
        const state = typeof line.state === 'string' ? states[line.state] : undefined;
        if (state === undefined) return undefined;
        return status(state, typeof line.message === 'string' ? line.message : undefined);
      }
      case 'final':
        return text === undefined ? undefined : status(TaskState.TASK_STATE_COMPLETED, text);
      case 'usage':
        if (typeof line.tokens !== 'number' || !Number.isFinite(line.tokens) || line.tokens < 0) return undefined;
        return { kind: 'status', state: TaskState.TASK_STATE_WORKING, metadata: { usage: { totalTokens: Math.round(line.tokens) } } };
      case 'message': {
        if (text === undefined) return undefined;
        // After other output the task exists for the client already: the answer completes it instead.
        if (spoke) return status(TaskState.TASK_STATE_COMPLETED, text);
        settled = true;
        return { kind: 'message', message: { ...agentMessage(run.task, text), taskId: '' } };
      }
    }
    return undefined;
  }

  return {
    get settled() {
      return settled;
    },
    lines(lines) {
      const batch = out.batch();
      for (const raw of lines) {
        if (settled) break;
        // Only a line that starts with "{" can be a protocol event: indented JSON is output.
        const line = raw.startsWith('{') ? jsonObject(raw) : undefined;
        if (line?.type === 'text' && typeof line.text === 'string') {
          batch.text(line.text);
          spoke = true;
          continue;
        }
        const update = line && event(line);
        if (update) batch.push(update);
        // Blank lines before anything else (a terminal settling) are not output.
        else if (spoke || raw.trim() !== '') batch.plain(raw);
        else continue;
        spoke = true;
      }
      return batch.done();
    },
    end(exit: RunEnd) {
      if (settled) return [];
      if (exit.exitCode === 0 && !exit.signal) return [status(TaskState.TASK_STATE_COMPLETED, undefined)];
      return [status(TaskState.TASK_STATE_FAILED, out.failure(agentName, exit))];
    },
  };
}
