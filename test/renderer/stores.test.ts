import { describe, expect, it } from 'vitest';
import type { Overview, TaskSummary } from '../../shared/monitor-api';
import { useMonitor, zeroCounts } from '../../renderer/src/stores/monitor';
import { parseRoute, routeHref } from '../../renderer/src/stores/route';
import { useTaskView } from '../../renderer/src/stores/task-view';
import { emptyDetail } from '../../renderer/src/lib/task-log';

const summary = (id: string, updatedAt: number, state: TaskSummary['state']): TaskSummary => ({
  id, contextId: 'c', agent: 'echo', state, codebase: null, title: id, statusText: '', createdAt: 0, updatedAt, origin: null, originName: null,
});

const overview = (tasks: TaskSummary[]): Overview => ({
  counts: { ...zeroCounts(), working: tasks.length },
  tasks,
  total: tasks.length,
  agents: [{ name: 'echo', description: '' }],
  codebases: [],
  workers: [{ name: 'here', local: true, codebases: [], load: 0, heartbeatAt: 0 }],
  host: { version: '1', bind: '127.0.0.1', port: 1, lan: false, requireAuth: false, a2aUrl: '', mcpUrl: null },
});

describe('the monitor store', () => {
  it('goes online with a snapshot, applies deltas, and shows the feed dropping', () => {
    const s = useMonitor.getState();
    s.applyFeed({ type: 'snapshot', overview: overview([summary('a', 1, 'working'), summary('b', 2, 'working')]) });
    expect(useMonitor.getState()).toMatchObject({ connection: 'online', loaded: true, total: 2 });
    expect(useMonitor.getState().tasks.map((t) => t.id)).toEqual(['b', 'a']);

    s.applyFeed({ type: 'task', task: summary('a', 3, 'completed'), counts: { ...zeroCounts(), working: 1, completed: 1 }, total: 2 });
    expect(useMonitor.getState().tasks.map((t) => `${t.id}:${t.state}`)).toEqual(['a:completed', 'b:working']);
    expect(useMonitor.getState().counts.completed).toBe(1);
    expect(useMonitor.getState().workers[0]!.load).toBe(1);
    const remote = { name: 'build-box', local: false, codebases: ['api'], load: 2, heartbeatAt: 5 };
    s.applyFeed({ type: 'workers', workers: [{ ...useMonitor.getState().workers[0]!, load: 0 }, remote] });
    expect(useMonitor.getState().workers.map((w) => `${w.name}:${w.load}`)).toEqual(['here:0', 'build-box:2']);

    s.feedDown();
    expect(useMonitor.getState().connection).toBe('offline');
    // A reconnect's snapshot replaces everything.
    s.applyFeed({ type: 'snapshot', overview: overview([summary('c', 9, 'working')]) });
    expect(useMonitor.getState()).toMatchObject({ connection: 'online', total: 1 });
    expect(useMonitor.getState().tasks.map((t) => t.id)).toEqual(['c']);
  });

  it('updates the local worker when codebases change', () => {
    useMonitor.getState().applyFeed({ type: 'snapshot', overview: overview([]) });
    useMonitor.getState().setCodebases([{ name: 'app', path: '/a', defaultAgent: null, allowedAgents: [], createdAt: 0, onThisDevice: true, elsewhere: [] }]);
    expect(useMonitor.getState().workers[0]!.codebases).toEqual(['app']);
  });
});

describe('the task view store', () => {
  it('applies a batch of log entries to the open task', () => {
    useTaskView.setState({ detail: emptyDetail('t') });
    useTaskView.getState().apply([
      { seq: 1, response: { statusUpdate: { taskId: 't', contextId: 'c', status: { state: 'TASK_STATE_WORKING' } } } },
      { seq: 2, response: { artifactUpdate: { taskId: 't', contextId: 'c', artifact: { artifactId: 'output', parts: [{ text: 'hi' }] } } } },
    ]);
    expect(useTaskView.getState().detail).toMatchObject({ state: 'working', lastSeq: 2, output: ['hi'] });
  });
});

describe('routes', () => {
  it('parse what they render, from file:// and http alike', () => {
    for (const route of [
      { view: 'overview' },
      { view: 'task', id: 'a/b c' },
      { view: 'sessions' },
      { view: 'session', id: 's1' },
      { view: 'codebases' },
      { view: 'send', contextId: 'ctx' },
      { view: 'settings' },
    ] as const) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
    expect(parseRoute('')).toEqual({ view: 'overview' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'overview' });
  });
});

describe('between tests', () => {
  it('every store is back at its initial state (test/support/setup.ts), whatever the tests before changed', () => {
    expect(useMonitor.getState()).toEqual(useMonitor.getInitialState());
    expect(useMonitor.getState()).toMatchObject({ connection: 'connecting', loaded: false, tasks: [], workers: [] });
    expect(useTaskView.getState()).toEqual(useTaskView.getInitialState());
  });
});
