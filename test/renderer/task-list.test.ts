import { describe, expect, it } from 'vitest';
import type { TaskSummary } from '../../shared/monitor-api';
import { formatDuration, shortId, taskDuration } from '../../renderer/src/lib/format';
import { filterTasks, LIST_LIMIT, sortTasks, upsertTask } from '../../renderer/src/lib/task-list';

const task = (id: string, updatedAt: number, extra: Partial<TaskSummary> = {}): TaskSummary => ({
  id, contextId: `c-${id}`, agent: 'echo', state: 'working', codebase: null, title: `task ${id}`, statusText: '', createdAt: 0, updatedAt, origin: null, originName: null, ...extra,
});

describe('the task list', () => {
  it('keeps the newest first and moves an updated task to its new place', () => {
    let list = sortTasks([task('a', 1), task('b', 3), task('c', 2)]);
    expect(list.map((t) => t.id)).toEqual(['b', 'c', 'a']);
    list = upsertTask(list, task('a', 4, { state: 'completed' }));
    expect(list.map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(list[0]!.state).toBe('completed');
    list = upsertTask(list, task('d', 2.5));
    expect(list.map((t) => t.id)).toEqual(['a', 'b', 'd', 'c']);
  });

  it('ignores a summary older than the one it holds (a delta that crossed a snapshot)', () => {
    const list = [task('a', 5, { state: 'completed' })];
    expect(upsertTask(list, task('a', 4, { state: 'working' }))).toBe(list);
  });

  it('holds at most LIST_LIMIT tasks', () => {
    const many = Array.from({ length: LIST_LIMIT }, (_, i) => task(`t${i}`, i + 10));
    const list = upsertTask(sortTasks(many), task('new', 1e9));
    expect(list).toHaveLength(LIST_LIMIT);
    expect(list[0]!.id).toBe('new');
  });

  it('filters by state group and by text, agent, codebase or id prefix', () => {
    const list = [
      task('1', 1, { state: 'working', title: 'fix the build' }),
      task('2', 2, { state: 'input-required', agent: 'opencode' }),
      task('3', 3, { state: 'failed', codebase: 'web' }),
    ];
    expect(filterTasks(list, 'active').map((t) => t.id)).toEqual(['1']);
    expect(filterTasks(list, 'waiting').map((t) => t.id)).toEqual(['2']);
    expect(filterTasks(list, 'finished').map((t) => t.id)).toEqual(['3']);
    expect(filterTasks(list, 'all', 'BUILD').map((t) => t.id)).toEqual(['1']);
    expect(filterTasks(list, 'all', 'opencode').map((t) => t.id)).toEqual(['2']);
    expect(filterTasks(list, 'all', 'web').map((t) => t.id)).toEqual(['3']);
  });

  it('measures a running task until now and a final one until its last update', () => {
    expect(taskDuration({ state: 'working', createdAt: 1000, updatedAt: 2000 }, 9000)).toBe(8000);
    expect(taskDuration({ state: 'completed', createdAt: 1000, updatedAt: 2000 }, 9000)).toBe(1000);
    expect([formatDuration(850), formatDuration(12_400), formatDuration(184_000), formatDuration(7_500_000)]).toEqual(['850ms', '12s', '3m 04s', '2h 05m']);
  });

  it('tells ids apart by their random end, not the timestamp every UUIDv7 of the hour starts with', () => {
    const a = '019af3c2-7d41-7b10-9c3e-5a1f0e2b7c11';
    const b = '019af3c2-7d41-7b10-8d02-44e9b0a1f3d9';
    expect([shortId(a), shortId(b)]).toEqual(['0e2b7c11', 'b0a1f3d9']);
    expect(shortId('ctx-a')).toBe('ctxa');
    // The suffix finds its task in the list's search.
    expect(filterTasks([task(a, 1), task(b, 2)], 'all', shortId(b)).map((t) => t.id)).toEqual([b]);
  });
});
