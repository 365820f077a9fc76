import { Artifact, Message, StreamResponse, Task } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { artifactJsonText, messageJsonText, oneLine, storedMessageText, TITLE_CHARS, titleOf } from '../../shared/message-text';
import { artifactText, eventOutput, messageText, promptOf } from '../../main/tasks/task-text';

const messageJson = { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'fix the build' }, { data: { n: 1 } }, { text: 'in src/' }] };
const artifactJson = { artifactId: 'output', name: 'output', parts: [{ text: 'hel' }, { text: 'lo\nwor' }, { text: 'ld' }] };

describe('message text: one rule for host and monitor', () => {
  it('joins a message\'s text parts with a newline and skips the others, in both the JSON and the decoded form', () => {
    expect(messageJsonText(messageJson)).toBe('fix the build\nin src/');
    expect(messageText(Message.fromJSON(messageJson))).toBe('fix the build\nin src/');
    expect(storedMessageText(JSON.stringify(messageJson))).toBe('fix the build\nin src/');
  });

  it('joins an artifact\'s streamed chunks with nothing, in both forms', () => {
    expect(artifactJsonText(artifactJson)).toBe('hello\nworld');
    const task = Task.fromJSON({ id: 't', contextId: 'c', status: { state: 'TASK_STATE_COMPLETED' }, artifacts: [artifactJson, { artifactId: 'b', parts: [{ text: 'second' }] }] });
    expect(artifactText(task)).toBe('hello\nworld\nsecond');
    const chunk = StreamResponse.toJSON({
      payload: { $case: 'artifactUpdate', value: { taskId: 't', contextId: 'c', artifact: Artifact.fromJSON(artifactJson), append: true, lastChunk: false, metadata: undefined } },
    });
    expect(eventOutput({ taskId: 't', seq: 2, kind: 'artifactUpdate', json: JSON.stringify(chunk) })).toBe('hello\nworld');
  });

  it('reads nothing from no message, an empty body or one that is not JSON', () => {
    expect(messageJsonText(undefined)).toBe('');
    expect(messageText(undefined)).toBe('');
    expect(storedMessageText(null)).toBe('');
    expect(storedMessageText('{not json')).toBe('');
    expect(storedMessageText('{"parts":[{"text":7}]}')).toBe('');
  });

  it('names a task by its first user message', () => {
    const task = Task.fromJSON({
      id: 't', contextId: 'c', status: { state: 'TASK_STATE_WORKING' },
      history: [{ messageId: 'a', role: 'ROLE_AGENT', parts: [{ text: 'hello' }] }, messageJson],
    });
    expect(promptOf(task)).toBe('fix the build\nin src/');
  });
});

describe('titles', () => {
  it('put a text on one line and cut it to the title length, the last character an ellipsis', () => {
    expect(titleOf('  fix\tthe\n\nbuild  ')).toBe('fix the build');
    const long = titleOf('word '.repeat(40));
    expect(long).toHaveLength(TITLE_CHARS);
    expect(long.endsWith('…')).toBe(true);
    expect(titleOf('x'.repeat(TITLE_CHARS))).toBe('x'.repeat(TITLE_CHARS));
    expect(oneLine('a b c d', 4)).toBe('a b…');
    expect(titleOf(messageJsonText(messageJson))).toBe('fix the build in src/');
  });
});
