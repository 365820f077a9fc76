import { Message, StreamResponse, TaskState } from '@a2a-js/sdk';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAlertFilter } from '../../main/app/task-alerts';
import { trayStatus } from '../../main/app/tray-status';
import { readWindowState, restoreBounds, windowStateFile, writeWindowState } from '../../main/app/window-state';
import type { TaskEvent } from '../../main/tasks/task-event';
import { taskStateNames, type StateCounts } from '../../shared/monitor-api';
import { tempDir } from '../support/temp-dir';

const zeroCounts = () => Object.fromEntries(taskStateNames.map((s) => [s, 0])) as StateCounts;

let seq = 0;
function status(taskId: string, state: TaskState, text?: string): TaskEvent {
  const message = text ? Message.fromJSON({ messageId: `m${seq}`, role: 'ROLE_AGENT', parts: [{ text }] }) : undefined;
  const response: StreamResponse = { payload: { $case: 'statusUpdate', value: { taskId, contextId: 'c', status: { state, message, timestamp: undefined }, metadata: undefined } } };
  return { taskId, seq: ++seq, kind: 'statusUpdate', json: JSON.stringify(StreamResponse.toJSON(response)) };
}

describe('desktop notifications', () => {
  it('alert on completed, failed and waiting on the user; not on progress, cancel or a repeated question', () => {
    const alertFor = createAlertFilter((id) => `prompt of ${id}`);
    const S = TaskState;
    expect(alertFor(status('a', S.TASK_STATE_WORKING))).toBeUndefined();
    expect(alertFor(status('a', S.TASK_STATE_INPUT_REQUIRED, 'Which  branch?\n'))).toEqual({ taskId: 'a', title: 'An agent needs your input', body: 'Which branch?' });
    expect(alertFor(status('a', S.TASK_STATE_INPUT_REQUIRED, 'Which branch?'))).toBeUndefined();
    expect(alertFor(status('a', S.TASK_STATE_WORKING))).toBeUndefined();
    expect(alertFor(status('a', S.TASK_STATE_INPUT_REQUIRED, 'And the remote?'))?.body).toBe('And the remote?');
    expect(alertFor(status('a', S.TASK_STATE_COMPLETED))).toEqual({ taskId: 'a', title: 'Task completed', body: 'prompt of a' });
    expect(alertFor(status('b', S.TASK_STATE_FAILED, 'x'.repeat(400)))?.body).toHaveLength(160);
    expect(alertFor(status('c', S.TASK_STATE_CANCELED))).toBeUndefined();
    expect(alertFor({ taskId: 'd', seq: 1, kind: 'artifactUpdate', json: '{}' })).toBeUndefined();
  });
});

describe('the tray', () => {
  it('counts running tasks and those waiting on the user', () => {
    expect(trayStatus(zeroCounts())).toMatchObject({ summary: 'No tasks running', tooltip: 'CodeTether: no tasks running', running: 0, needsInput: 0 });
    const busy = trayStatus({ ...zeroCounts(), working: 2, submitted: 1, 'input-required': 1, completed: 9 });
    expect(busy).toMatchObject({ summary: '3 running, 1 needs input', tooltip: 'CodeTether: 3 running, 1 needs input', running: 3, needsInput: 1 });
    expect(trayStatus({ ...zeroCounts(), 'input-required': 1, 'auth-required': 1 }).summary).toBe('0 running, 2 need input');
  });
});

describe('window size and position', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1040 };
  const right = { x: 1920, y: 0, width: 1280, height: 1024 };

  it('is saved to a JSON file in the data dir and read back; a broken file reads as none', () => {
    const file = windowStateFile(join(tempDir(), 'data'));
    expect(readWindowState(file)).toBeUndefined();
    writeWindowState(file, { bounds: { x: 10, y: 20, width: 900, height: 700 }, maximized: true });
    expect(readWindowState(file)).toEqual({ bounds: { x: 10, y: 20, width: 900, height: 700 }, maximized: true });
    writeFileSync(file, '{"bounds":{"x":"1"}}');
    expect(readWindowState(file)).toBeUndefined();
    writeFileSync(file, '{"bou');
    expect(readWindowState(file)).toBeUndefined();
  });

  it('is restored within today’s screens: kept, pulled back on, shrunk to fit, or centred when its screen is gone', () => {
    expect(restoreBounds(undefined, [screen])).toEqual({ width: 1200, height: 800 });
    expect(restoreBounds({ x: 100, y: 50, width: 1000, height: 700 }, [screen])).toEqual({ x: 100, y: 50, width: 1000, height: 700 });
    // On the second screen while it is plugged in.
    expect(restoreBounds({ x: 2000, y: 100, width: 800, height: 600 }, [screen, right])).toEqual({ x: 2000, y: 100, width: 800, height: 600 });
    // That screen is gone: centred on the first one.
    expect(restoreBounds({ x: 2000, y: 100, width: 800, height: 600 }, [screen])).toEqual({ x: 360, y: 120, width: 1200, height: 800 });
    // Hanging off the bottom right, and larger than the screen: moved and shrunk to fit.
    expect(restoreBounds({ x: 1500, y: 900, width: 2500, height: 600 }, [screen])).toEqual({ x: 0, y: 440, width: 1920, height: 600 });
    // Title bar above the screen's top: not reachable, so centred.
    expect(restoreBounds({ x: 100, y: -500, width: 800, height: 400 }, [screen])).toEqual({ x: 360, y: 120, width: 1200, height: 800 });
    // Too small to use: grown to the minimum.
    expect(restoreBounds({ x: 10, y: 10, width: 50, height: 40 }, [screen])).toEqual({ x: 10, y: 10, width: 480, height: 360 });
  });
});
