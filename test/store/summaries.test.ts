import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { createRoamingRepository } from '../../main/store/roaming-repository';
import { createSummaryRepository } from '../../main/store/summary-repository';
import { createSyncRepository } from '../../main/store/sync-repository';
import { createTaskRepository } from '../../main/store/task-repository';
import { createTaskReads } from '../../main/monitor/task-reads';
import { createSessionQueries } from '../../main/mcp/session-queries';
import { tempDir } from '../support/temp-dir';

const message = (id: string, role: 'ROLE_USER' | 'ROLE_AGENT', ...texts: string[]) => JSON.stringify({ messageId: id, role, parts: texts.map((text) => ({ text })) });
const status = (state: string, text?: string) => JSON.stringify({ state, ...(text ? { message: JSON.parse(message(`s-${text}`, 'ROLE_AGENT', text)) } : {}) });

/** A real store file: two local sessions written as the task core writes them, one synced from another device. */
function seed() {
  const file = join(tempDir('codetether-summaries-'), 'codetether.db');
  const db = openDatabase(file);
  onTestFinished(() => closeDatabase(db));
  const tasks = createTaskRepository(db);
  const task = (id: string, contextId: string, state: string, at: number, statusJson = status(state), metadata: string | null = null) =>
    tasks.insertTask({ id, context_id: contextId, agent: 'echo', state, status_json: statusJson, metadata_json: metadata, last_seq: 1, attempts: 1, created_at: at, updated_at: at });
  const say = (id: string, contextId: string, taskId: string | null, role: string, json: string, at: number) =>
    tasks.insertMessage({ messageId: id, contextId, taskId, role, json, now: at });

  tasks.touchSession('ctx-a', 10);
  task('a1', 'ctx-a', 'completed', 10, status('completed', 'done'), JSON.stringify({ codebase: 'app' }));
  say('m1', 'ctx-a', 'a1', 'user', message('m1', 'ROLE_USER', 'fix the', 'build'), 10);
  say('m2', 'ctx-a', 'a1', 'agent', message('m2', 'ROLE_AGENT', 'fixed'), 11);
  // Two tasks created in the same millisecond: the later id is the latest.
  task('a2', 'ctx-a', 'input-required', 20, status('input-required', 'Which branch?'));
  task('a3', 'ctx-a', 'working', 20);
  say('m3', 'ctx-a', 'a3', 'user', message('m3', 'ROLE_USER', 'and the tests'), 20);

  tasks.touchSession('ctx-b', 30);
  task('b1', 'ctx-b', 'submitted', 30);
  say('m4', 'ctx-b', 'b1', 'user', message('m4', 'ROLE_USER', 'x'.repeat(300)), 30);

  // Another device's session: its agent message arrived before the user's (sync delivers in any order).
  const sync = createSyncRepository(db);
  createRoamingRepository(db).putDevice('dev-2', 'Laptop', 5);
  sync.putRemoteTask({ id: 'r1', contextId: 'ctx-r', agent: 'echo', state: 'completed', statusJson: status('completed'), metadataJson: null, origin: 'dev-2', createdAt: 5, updatedAt: 40, artifacts: [] });
  sync.putRemoteMessage({ messageId: 'r-m2', contextId: 'ctx-r', taskId: 'r1', role: 'agent', json: message('r-m2', 'ROLE_AGENT', 'here you go'), createdAt: 6 });
  sync.putRemoteMessage({ messageId: 'r-m1', contextId: 'ctx-r', taskId: 'r1', role: 'user', json: message('r-m1', 'ROLE_USER', 'write a poem'), createdAt: 5 });
  return { db, file };
}

describe('the summary queries', () => {
  it('find nothing in a new store', () => {
    const db = openDatabase(join(tempDir('codetether-summaries-'), 'codetether.db'));
    onTestFinished(() => closeDatabase(db));
    const summaries = createSummaryRepository(db);
    expect(summaries.sessions(10)).toEqual([]);
    expect(summaries.recentTasks(10)).toEqual([]);
    expect(summaries.stateCounts()).toEqual([]);
  });

  it('list sessions and tasks most recently active first, titled by the first user message, on a read-only connection as the host reads them', () => {
    const { file } = seed();
    const readDb = openDatabase(file, { readonly: true });
    onTestFinished(() => void readDb.close());
    const summaries = createSummaryRepository(readDb);

    expect(summaries.sessions(10).map((s) => s.id)).toEqual(['ctx-r', 'ctx-b', 'ctx-a']);
    expect(summaries.session('ctx-a')).toEqual({
      id: 'ctx-a', createdAt: 10, updatedAt: 10, taskCount: 3, lastTaskId: 'a3', lastState: 'working', lastAgent: 'echo', lastMetadataJson: null,
      origin: null, originName: null, firstUserText: 'fix the\nbuild',
    });
    expect(summaries.session('ctx-r')).toMatchObject({ firstUserText: 'write a poem', origin: 'dev-2', originName: 'Laptop', taskCount: 1, lastTaskId: 'r1' });
    expect(summaries.session('nope')).toBeUndefined();
    expect(summaries.sessions(1)).toHaveLength(1);

    expect(summaries.recentTasks(10).map((t) => t.id)).toEqual(['r1', 'b1', 'a3', 'a2', 'a1']);
    expect(summaries.task('a1')).toEqual({
      id: 'a1', contextId: 'ctx-a', agent: 'echo', state: 'completed', statusText: 'done', metadataJson: '{"codebase":"app"}',
      firstUserText: 'fix the\nbuild', origin: null, originName: null, createdAt: 10, updatedAt: 10,
    });
    expect(summaries.task('r1')).toMatchObject({ origin: 'dev-2', originName: 'Laptop' });
    expect(summaries.task('a2')).toMatchObject({ statusText: 'Which branch?', firstUserText: '' });
    expect(summaries.task('nope')).toBeUndefined();
    expect(Object.fromEntries(summaries.stateCounts().map((c) => [c.state, c.count]))).toEqual({ completed: 2, 'input-required': 1, working: 1, submitted: 1 });

    expect(summaries.transcript('ctx-a', 2)).toEqual([
      { role: 'agent', taskId: 'a1', text: 'fixed', createdAt: 11 },
      { role: 'user', taskId: 'a3', text: 'and the tests', createdAt: 20 },
    ]);
    expect(summaries.contextOf('a2')).toBe('ctx-a');
    expect(summaries.contextOf('nope')).toBeUndefined();
  });

  it('are what the monitor and MCP both list from, each cutting its own title', () => {
    const { db } = seed();
    const summaries = createSummaryRepository(db);
    const monitor = createTaskReads(summaries);
    const mcp = createSessionQueries(summaries);

    const [remote, long, local] = monitor.sessions(10);
    expect(remote).toMatchObject({ id: 'ctx-r', title: 'write a poem', originName: 'Laptop' });
    expect(long!.title).toHaveLength(200);
    expect(local).toMatchObject({ id: 'ctx-a', title: 'fix the build', taskCount: 3, lastState: 'working' });
    expect(monitor.summary('a1')).toMatchObject({ title: 'fix the build', statusText: 'done', codebase: 'app', state: 'completed' });
    expect(monitor.counts()).toMatchObject({ total: 5, counts: { completed: 2, working: 1, submitted: 1, 'input-required': 1, failed: 0 } });

    const listed = mcp.list(10);
    expect(listed.map((s) => [s.contextId, s.title.length])).toEqual([['ctx-r', 12], ['ctx-b', 80], ['ctx-a', 13]]);
    expect(mcp.get('ctx-r')).toEqual({
      contextId: 'ctx-r', title: 'write a poem', taskCount: 1, lastTaskId: 'r1', lastState: 'completed',
      createdAt: new Date(5).toISOString(), updatedAt: new Date(40).toISOString(),
    });
    expect(mcp.transcript('ctx-r', 10).map((m) => m.role)).toEqual(['agent', 'user']);
  });

  it('give the monitor a session with the agent and codebase of its latest task, which "Continue" runs by default', () => {
    const { db } = seed();
    const monitor = createTaskReads(createSummaryRepository(db));
    expect(monitor.session('ctx-a')).toMatchObject({ id: 'ctx-a', title: 'fix the build', agent: 'echo', codebase: null });
    createTaskRepository(db).insertTask({
      id: 'a4', context_id: 'ctx-a', agent: 'opencode', state: 'completed', status_json: status('completed'),
      metadata_json: JSON.stringify({ codebase: 'app' }), last_seq: 1, attempts: 1, created_at: 50, updated_at: 50,
    });
    expect(monitor.session('ctx-a')).toMatchObject({ agent: 'opencode', codebase: 'app', lastState: 'completed' });
    expect(monitor.session('nope')).toBeUndefined();
  });
});
