import { Artifact, Message, StreamResponse, TaskState, TaskStatus } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { artifactEventJson, newTaskEventJson, statusEventJson, statusJson } from '../../main/tasks/event-json';

const message = Message.fromJSON({ messageId: 'm1', role: 'ROLE_AGENT', parts: [{ text: 'hi "there"\n' }, { data: { a: [1, null] } }], metadata: { k: 'v' } });
const artifact = Artifact.fromJSON({ artifactId: 'a1', name: 'out', parts: [{ text: 'x' }] });
const sdk = (response: StreamResponse) => JSON.stringify(StreamResponse.toJSON(response));
const states = Object.values(TaskState).filter((s): s is TaskState => typeof s === 'number' && s >= 0);

describe('spliced event JSON', () => {
  it('matches the SDK encoding of a status, with or without a message, in every state', () => {
    for (const state of states) {
      for (const m of [undefined, message]) {
        for (const timestamp of [undefined, '2026-11-24T09:00:00.000Z']) {
          const status: TaskStatus = { state, message: m, timestamp };
          expect(statusJson(state, timestamp, m && JSON.stringify(Message.toJSON(m)))).toBe(JSON.stringify(TaskStatus.toJSON(status)));
        }
      }
    }
  });

  it('matches the SDK encoding of status and artifact events, metadata and flags included', () => {
    const status: TaskStatus = { state: TaskState.TASK_STATE_COMPLETED, message, timestamp: '2026-11-24T09:00:00.000Z' };
    const encoded = JSON.stringify(TaskStatus.toJSON(status));
    for (const metadata of [undefined, {}, { worker: 'w "1"' }]) {
      for (const ids of [['t1', 'c1'], ['', '']]) {
        const [taskId, contextId] = ids as [string, string];
        expect(statusEventJson(taskId, contextId, encoded, metadata)).toBe(sdk({ payload: { $case: 'statusUpdate', value: { taskId, contextId, status, metadata } } }));
      }
    }
    const artifactText = JSON.stringify(Artifact.toJSON(artifact));
    for (const append of [false, true]) {
      for (const lastChunk of [false, true]) {
        expect(artifactEventJson('t1', 'c1', artifactText, append, lastChunk)).toBe(
          sdk({ payload: { $case: 'artifactUpdate', value: { taskId: 't1', contextId: 'c1', artifact, append, lastChunk, metadata: undefined } } }),
        );
      }
    }
  });

  it("matches the SDK encoding of a new task's snapshot", () => {
    const status: TaskStatus = { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: '2026-11-24T09:00:00.000Z' };
    const encodedStatus = JSON.stringify(TaskStatus.toJSON(status));
    for (const metadata of [undefined, { agent: 'echo' }]) {
      const task = { id: 't1', contextId: 'c1', status, artifacts: [], history: [message], metadata };
      expect(newTaskEventJson('t1', 'c1', encodedStatus, JSON.stringify(Message.toJSON(message)), metadata)).toBe(sdk({ payload: { $case: 'task', value: task } }));
    }
  });
});
