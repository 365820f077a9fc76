import type { TaskUpdate } from '../../tasks/executor';
import { textPart } from '../../tasks/agent-message';
import type { AgentRun, RunEnd } from './adapter';

/** The artifact that an agent's text output is appended to. */
export const OUTPUT_ARTIFACT = 'output';
const TAIL_LINES = 20;

/**
 * What every output parser keeps of a run: the "output" artifact (created by the first text,
 * appended to after, also across runs of one task), and the last lines printed, which a failed
 * run's status quotes.
 */
export function createRunOutput(run: AgentRun) {
  let exists = run.task.artifacts.some((a) => a.artifactId === OUTPUT_ARTIFACT);
  const tail: string[] = [];

  function remember(text: string): void {
    tail.push(...text.split('\n').filter((l) => l.trim()));
    if (tail.length > TAIL_LINES) tail.splice(0, tail.length - TAIL_LINES);
  }

  function append(text: string): TaskUpdate {
    const append = exists;
    exists = true;
    return {
      kind: 'artifact',
      append,
      artifact: { artifactId: OUTPUT_ARTIFACT, name: OUTPUT_ARTIFACT, description: "The agent's text output", parts: [textPart(text)], metadata: undefined, extensions: [] },
    };
  }

  return {
    remember,
    /**
     * The updates of one batch of output lines: consecutive text joined into one append to the
     * output artifact, kept in order with the other updates between them.
     */
    batch() {
      const updates: TaskUpdate[] = [];
      let text = '';
      const flush = () => {
        if (text) updates.push(append(text));
        text = '';
      };
      return {
        text(t: string): void {
          text += t;
          remember(t);
        },
        /** A line that is no event: output as printed. */
        plain(line: string): void {
          text += line + '\n';
          remember(line);
        },
        push(update: TaskUpdate): void {
          flush();
          updates.push(update);
        },
        done(): TaskUpdate[] {
          flush();
          return updates;
        },
      };
    },
    /** Why a run that ended without reporting a result failed, in the words of its status message. */
    failure(agent: string, exit: RunEnd): string {
      const how = exit.signal ? `was killed by signal ${exit.signal}` : `exited with code ${exit.exitCode}`;
      const last = tail.length ? `. Last output:\n${tail.join('\n')}` : ', printing nothing';
      return `Agent "${agent}" ${how}${last}`;
    },
  };
}
