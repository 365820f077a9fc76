import { describe, expect, it } from 'vitest';
import type { StreamResponseJson } from '../../shared/monitor-api';
import { applyEntry, artifactText, emptyDetail, firstUserText, fromSnapshot, mergeHistory, type TaskDetail } from '../../renderer/src/lib/task-log';

const ids = { taskId: 't1', contextId: 'c1' };
const status = (state: string, text?: string): StreamResponseJson => ({
  statusUpdate: { ...ids, status: { state, message: text ? { messageId: `m-${text}`, role: 'ROLE_AGENT', parts: [{ text }] } : undefined } },
});
const output = (text: string, append: boolean): StreamResponseJson => ({
  artifactUpdate: { ...ids, artifact: { artifactId: 'output', name: 'output', parts: [{ text }] }, append },
});

function replay(responses: StreamResponseJson[], from: TaskDetail = emptyDetail('t1')): TaskDetail {
  return responses.reduce((d, response) => applyEntry(d, { seq: d.lastSeq + 1, response }), from);
}

describe("a task's event log in the task view", () => {
  it('builds state, output, artifacts, messages and a timeline from the A2A events', () => {
    const d = replay([
      { task: { id: 't1', contextId: 'c1', status: { state: 'TASK_STATE_SUBMITTED' }, history: [{ messageId: 'u1', role: 'ROLE_USER', parts: [{ text: 'ask' }] }], metadata: { codebase: 'app' } } },
      status('TASK_STATE_WORKING'),
      output('line 1\n', false),
      output('line 2\n', true),
      { artifactUpdate: { ...ids, artifact: { artifactId: 'notes', name: 'notes', parts: [{ text: 'a' }] } } },
      { artifactUpdate: { ...ids, artifact: { artifactId: 'notes', name: 'notes', parts: [{ data: { n: 1 } }] }, append: true } },
      status('TASK_STATE_INPUT_REQUIRED', 'Which branch?'),
    ]);
    expect(d.state).toBe('input-required');
    expect(d.statusText).toBe('Which branch?');
    expect(d.output.join('')).toBe('line 1\nline 2\n');
    expect(d.artifacts).toHaveLength(1);
    expect(artifactText(d.artifacts[0]!)).toBe('a\n{\n  "n": 1\n}');
    expect(firstUserText(d)).toBe('ask');
    expect(d.messages.map((m) => m.messageId)).toEqual(['u1', 'm-Which branch?']);
    expect(d.metadata).toEqual({ codebase: 'app' });
    // Consecutive output chunks are one timeline entry.
    expect(d.timeline.map((t) => t.kind)).toEqual(['task', 'status', 'output', 'artifact', 'artifact', 'status']);
    expect(d.timeline[2]).toMatchObject({ chunks: 2, chars: 14 });
  });

  it('ignores an entry it already applied (a reconnect that overlaps)', () => {
    const d = replay([status('TASK_STATE_WORKING'), output('x', false)]);
    expect(applyEntry(d, { seq: 2, response: output('x', true) })).toBe(d);
  });

  it('restarts the output when the agent replaces it, and tells the terminal to clear', () => {
    const d = replay([output('old', false), output('new', false)]);
    expect(d.output).toEqual(['new']);
    expect(d.outputReset).toBe(1);
  });

  it('keeps the question until the state changes, then drops it', () => {
    const asked = replay([status('TASK_STATE_INPUT_REQUIRED', 'Name?')]);
    expect(replay([status('TASK_STATE_WORKING')], asked).statusText).toBe('');
  });

  it('downloads an artifact with its streamed chunks joined as the host joins them, data parts on lines of their own', () => {
    const parts = [{ text: 'hel' }, { text: 'lo' }, { data: { n: 1 } }, { text: 'end' }];
    expect(artifactText({ artifactId: 'report', parts })).toBe('hello\n{\n  "n": 1\n}\nend');
  });

  it("counts each answer that resumed the task, and takes the user's answers from the task's history in its order", () => {
    const user = (messageId: string, text: string) => ({ messageId, role: 'ROLE_USER', parts: [{ text }] });
    const asked = replay([
      { task: { id: 't1', contextId: 'c1', status: { state: 'TASK_STATE_SUBMITTED' }, history: [user('u1', 'ask')] } },
      status('TASK_STATE_INPUT_REQUIRED', 'Name?'),
    ]);
    expect(asked.resumes).toBe(0);
    // The stream carries the agent's side only: the answer "Ada" is not in it.
    const answered = replay([status('TASK_STATE_WORKING'), status('TASK_STATE_COMPLETED', 'hello Ada')], asked);
    expect(answered.resumes).toBe(1);
    expect(answered.messages.map((m) => m.messageId)).toEqual(['u1', 'm-Name?', 'm-hello Ada']);

    const history = [user('u1', 'ask'), answered.messages[1]!, user('u2', 'Ada')];
    const merged = mergeHistory(answered, history);
    expect(merged.messages.map((m) => m.messageId)).toEqual(['u1', 'm-Name?', 'u2', 'm-hello Ada']);
    // Nothing new: the same detail, so the view does not render again.
    expect(mergeHistory(merged, history)).toBe(merged);
  });

  it("shows a synced copy, which has no event log here, from its stored task; the log, when there is one, replaces it", () => {
    const stored = {
      id: 't1', contextId: 'c1',
      status: { state: 'TASK_STATE_COMPLETED', message: { messageId: 'a1', role: 'ROLE_AGENT', parts: [{ text: 'done' }] } },
      history: [{ messageId: 'u1', role: 'ROLE_USER', parts: [{ text: 'build it' }] }],
      artifacts: [{ artifactId: 'output', parts: [{ text: 'line 1\n' }] }, { artifactId: 'notes', parts: [{ text: 'n' }] }],
      metadata: { agent: 'echo' },
    };
    const shown = fromSnapshot(emptyDetail('t1'), stored);
    expect(shown).toMatchObject({ state: 'completed', statusText: 'done', contextId: 'c1', metadata: { agent: 'echo' }, lastSeq: 0 });
    expect(shown.messages.map((m) => m.messageId)).toEqual(['u1', 'a1']);
    expect(shown.output.join('')).toBe('line 1\n');
    expect(shown.artifacts.map((a) => a.artifactId)).toEqual(['notes']);
    // The log arrived first: the snapshot is not applied over it.
    const logged = replay([status('TASK_STATE_WORKING')]);
    expect(fromSnapshot(logged, stored)).toBe(logged);
    // The log arrives after the snapshot: its entries apply from the first, output restarting.
    const after = replay([{ task: { ...stored, status: { state: 'TASK_STATE_SUBMITTED' }, artifacts: [] } }, output('line 1\n', false)], shown);
    expect(after.output.join('')).toBe('line 1\n');
    expect(after.state).toBe('submitted');
  });
});
