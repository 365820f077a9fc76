// The repository contract: the same behaviour, through the same async ports, on every engine.
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewMessage, NewTask, StoreEngine } from '../../../main/store/store-engine';
import { engines } from './engines';

const task = (id: string, over: Partial<NewTask> = {}): NewTask => ({
  id, context_id: 'ctx', agent: 'echo', state: 'submitted', status_json: '{"state":"submitted"}', metadata_json: null,
  attempts: 1, created_at: 1000, updated_at: 1000, ...over,
});
const message = (id: string, taskId: string | null, contextId = 'ctx', now = 1000): NewMessage => ({
  messageId: id, contextId, taskId, role: 'user', json: `{"messageId":"${id}"}`, now,
});
const create = (s: StoreEngine, id: string, over: Partial<NewTask> = {}) =>
  s.tasks.createTask(task(id, over), message(`m-${id}`, id, over.context_id), { kind: 'task', json: `{"task":"${id}"}` });
const event = (n: number, now = 2000) => ({ kind: 'status', json: `{"n":${n}}`, now });
const artifact = (id: string, ...texts: string[]) => JSON.stringify({ artifactId: id, parts: texts.map((text) => ({ text })) });
const parts = (...texts: string[]) => JSON.stringify(texts.map((text) => ({ text })));
const textsOf = (json: string) => (JSON.parse(json) as { parts: { text: string }[] }).parts.map((p) => p.text);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const engine of engines) {
  describe.skipIf(engine.skip !== undefined)(`repository contract on ${engine.name}${engine.skip ? ` (skipped: ${engine.skip})` : ''}`, () => {
    beforeAll(() => engine.setup());

    async function store(): Promise<StoreEngine> {
      return (await engine.fresh()).open();
    }

    it('creates a task with its session, message and event #1, all still there on a new connection', async () => {
      const place = await engine.fresh();
      const a = await place.open();
      expect(await create(a, 't1')).toBe(true);
      await a.close();
      const b = await place.open();
      expect(await b.tasks.getTask('t1')).toEqual({ ...task('t1'), last_seq: 1, origin: null });
      expect(await b.tasks.eventsAfter('t1', 0)).toEqual([{ seq: 1, kind: 'task', body_json: '{"task":"t1"}' }]);
      expect(await b.tasks.history('t1')).toEqual(['{"messageId":"m-t1"}']);
      expect(await b.tasks.sessionExists('ctx')).toBe(true);
      expect(await b.tasks.sessionExists('other')).toBe(false);
    });

    it('refuses a create whose id is taken and writes nothing of it, not even its session', async () => {
      const s = await store();
      await create(s, 't1');
      expect(await create(s, 't1', { agent: 'other', context_id: 'ctx2' })).toBe(false);
      expect((await s.tasks.getTask('t1'))?.agent).toBe('echo');
      expect(await s.tasks.eventsAfter('t1', 0)).toHaveLength(1);
      expect(await s.tasks.history('t1')).toHaveLength(1);
      expect(await s.tasks.sessionExists('ctx2')).toBe(false);
    });

    it('numbers appended events 2, 3, ... with the status written alongside; eventsAfter pages in seq order', async () => {
      const s = await store();
      await create(s, 't1');
      expect(await s.tasks.appendEvent('t1', { ...event(2), status: { state: 'working', statusJson: '{"state":"working"}' } })).toBe(2);
      for (const n of [3, 4, 5]) expect(await s.tasks.appendEvent('t1', event(n, 2000 + n))).toBe(n);
      expect(await s.tasks.getTask('t1')).toMatchObject({ state: 'working', status_json: '{"state":"working"}', last_seq: 5, updated_at: 2005, created_at: 1000 });
      expect(await s.tasks.eventsAfter('t1', 2, 2)).toEqual([
        { seq: 3, kind: 'status', body_json: '{"n":3}' },
        { seq: 4, kind: 'status', body_json: '{"n":4}' },
      ]);
      expect((await s.tasks.eventsAfter('t1', 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(await s.tasks.eventsAfter('t1', 5)).toEqual([]);
    });

    it('answers for what is not there without writing anything, and takes no seq for it', async () => {
      const s = await store();
      await create(s, 't1');
      expect(await s.tasks.getTask('nope')).toBeUndefined();
      expect(await s.tasks.appendEvent('nope', event(1))).toBeUndefined();
      expect(await s.tasks.eventsAfter('nope', 0)).toEqual([]);
      expect(await s.tasks.history('nope')).toEqual([]);
      expect(await s.tasks.artifacts('nope')).toEqual([]);
      expect(await s.tasks.putArtifact('nope', 'out', 1, artifact('out', 'a'))).toBe(false);
      expect(await s.tasks.appendArtifactParts('t1', 'nope', parts('a'))).toBe(false);
      expect(await s.tasks.dissolveTask('nope')).toBe(false);
      expect(await s.tasks.list({ limit: 10 })).toMatchObject({ total: 1 });
      // Sent together (one group commit on PostgreSQL): the missing task's append takes nothing from the others.
      expect(await Promise.all([s.tasks.appendEvent('t1', event(2)), s.tasks.appendEvent('nope', event(3)), s.tasks.appendEvent('t1', event(4))])).toEqual([2, undefined, 3]);
      expect((await s.tasks.eventsAfter('t1', 0)).map((e) => e.body_json)).toEqual(['{"task":"t1"}', '{"n":2}', '{"n":4}']);
    });

    it('keeps seq gapless and unique when two connections append to one task at once', async () => {
      const place = await engine.fresh();
      // Opened at once: both migrate the empty store, one after the other under the migration lock.
      const [a, b] = await Promise.all([place.open(), place.open()]);
      await create(a, 't1');
      await create(a, 't2');
      const appends = range(1, 200).map((i) => (i % 2 ? a : b).tasks.appendEvent(i % 3 ? 't1' : 't2', event(i)));
      const seqs = await Promise.all(appends);
      const t1 = await b.tasks.eventsAfter('t1', 0);
      const t2 = await a.tasks.eventsAfter('t2', 0);
      expect(t1.map((e) => e.seq)).toEqual(range(1, t1.length));
      expect(t2.map((e) => e.seq)).toEqual(range(1, t2.length));
      expect(t1.length + t2.length).toBe(202);
      expect((await a.tasks.getTask('t1'))?.last_seq).toBe(t1.length);
      expect((await b.tasks.getTask('t2'))?.last_seq).toBe(t2.length);
      // Each append got back the seq its event is stored under.
      const stored = new Map([...t1, ...t2].filter((e) => e.kind === 'status').map((e) => [e.body_json, e.seq]));
      expect(range(1, 200).map((i) => stored.get(`{"n":${i}}`))).toEqual(seqs);
    });

    it('keeps a task\'s messages oldest first, the newest n of them with a limit', async () => {
      const s = await store();
      await create(s, 't1');
      for (const id of ['m2', 'm3', 'm4']) await s.tasks.insertMessage(message(id, 't1'));
      await s.tasks.insertMessage(message('elsewhere', null));
      expect(await s.tasks.history('t1')).toEqual(['m-t1', 'm2', 'm3', 'm4'].map((id) => `{"messageId":"${id}"}`));
      expect(await s.tasks.history('t1', 2)).toEqual(['{"messageId":"m3"}', '{"messageId":"m4"}']);
    });

    it('reads artifacts whole in position order; a put whole again drops the appended parts and keeps its place', async () => {
      const s = await store();
      await create(s, 't1');
      expect(await s.tasks.putArtifact('t1', 'out', 1, artifact('out', 'a'))).toBe(true);
      await s.tasks.putArtifact('t1', 'log', 2, artifact('log', 'x'));
      expect(await s.tasks.appendArtifactParts('t1', 'out', parts('b', 'c'))).toBe(true);
      await s.tasks.appendArtifactParts('t1', 'log', parts('y'));
      await s.tasks.appendArtifactParts('t1', 'out', parts('d'));
      expect((await s.tasks.artifacts('t1')).map(textsOf)).toEqual([['a', 'b', 'c', 'd'], ['x', 'y']]);
      await s.tasks.putArtifact('t1', 'out', 3, artifact('out', 'fresh'));
      await s.tasks.putArtifact('t1', 'out', 3, artifact('out', 'fresh'));
      await s.tasks.appendArtifactParts('t1', 'out', parts('more'));
      expect((await s.tasks.artifacts('t1')).map(textsOf)).toEqual([['fresh', 'more'], ['x', 'y']]);
    });

    it('keeps every part appended to one artifact from two connections at once, each exactly once', async () => {
      const place = await engine.fresh();
      // Opened at once: both migrate the empty store, one after the other under the migration lock.
      const [a, b] = await Promise.all([place.open(), place.open()]);
      await create(a, 't1');
      await a.tasks.putArtifact('t1', 'out', 1, artifact('out'));
      const results = await Promise.all(range(1, 60).map((i) => (i % 2 ? a : b).tasks.appendArtifactParts('t1', 'out', parts(`${i % 2 ? 'a' : 'b'}${i}`))));
      expect(results.every(Boolean)).toBe(true);
      const [out] = (await b.tasks.artifacts('t1')).map(textsOf);
      // Calls in flight at once commit in any order (a pool runs them on several connections); none is lost or doubled.
      expect([...out!].sort()).toEqual(range(1, 60).map((i) => `${i % 2 ? 'a' : 'b'}${i}`).sort());
    });

    it('dissolves a task with its events and artifacts, once; its id is free again', async () => {
      const s = await store();
      await create(s, 't1');
      await s.tasks.appendEvent('t1', event(2));
      await s.tasks.putArtifact('t1', 'out', 1, artifact('out', 'a'));
      await s.tasks.appendArtifactParts('t1', 'out', parts('b'));
      expect(await s.tasks.dissolveTask('t1')).toBe(true);
      expect(await s.tasks.dissolveTask('t1')).toBe(false);
      expect(await s.tasks.getTask('t1')).toBeUndefined();
      expect(await s.tasks.eventsAfter('t1', 0)).toEqual([]);
      expect(await s.tasks.artifacts('t1')).toEqual([]);
      expect(await s.tasks.sessionExists('ctx')).toBe(true);
      expect(await create(s, 't1')).toBe(true);
      expect((await s.tasks.eventsAfter('t1', 0)).map((e) => e.seq)).toEqual([1]);
    });

    it('lists unfinished tasks oldest first', async () => {
      const s = await store();
      await create(s, 'late', { created_at: 3000, updated_at: 3000 });
      await create(s, 'early', { created_at: 1000, updated_at: 1000 });
      await create(s, 'done', { created_at: 2000, updated_at: 2000 });
      await s.tasks.appendEvent('late', { ...event(2), status: { state: 'working', statusJson: '{}' } });
      await s.tasks.appendEvent('done', { ...event(2), status: { state: 'completed', statusJson: '{}' } });
      expect((await s.tasks.unfinished()).map((t) => t.id)).toEqual(['early', 'late']);
    });

    it('pages tasks newest first by (updated_at, id) in byte order, with filters and the filter\'s total', async () => {
      const s = await store();
      // Same updated_at: ids decide, as bytes ('B' < 'a'), whatever the database's locale.
      const rows: [string, number, string][] = [['a', 5000, 'ctx'], ['B', 5000, 'ctx'], ['c', 4000, 'ctx2'], ['d', 3000, 'ctx'], ['e', 2000, 'ctx2']];
      for (const [id, at, ctx] of rows) await create(s, id, { updated_at: at, context_id: ctx });
      await s.tasks.appendEvent('d', { ...event(2, 3000), status: { state: 'working', statusJson: '{}' } });
      const ids = async (f: Parameters<StoreEngine['tasks']['list']>[0]) => {
        const page = await s.tasks.list(f);
        return [page.rows.map((r) => r.id), page.total];
      };
      expect(await ids({ limit: 3 })).toEqual([['a', 'B', 'c'], 5]);
      expect(await ids({ limit: 3, before: { updatedAt: 5000, id: 'B' } })).toEqual([['c', 'd', 'e'], 5]);
      expect(await ids({ limit: 10, contextId: 'ctx2' })).toEqual([['c', 'e'], 2]);
      expect(await ids({ limit: 10, state: 'working' })).toEqual([['d'], 1]);
      expect(await ids({ limit: 1, updatedAfter: 4000 })).toEqual([['a'], 3]);
    });

    it('keeps codebases by name: a taken name is refused and the first kept; removal once', async () => {
      const s = await store();
      const cb = { name: 'web', path: '/srv/web', defaultAgent: 'echo', allowedAgents: ['echo', 'claude'], createdAt: 1000 };
      expect(await s.codebases.insert(cb)).toBe(true);
      expect(await s.codebases.insert({ ...cb, path: '/elsewhere' })).toBe(false);
      await s.codebases.insert({ name: 'Api', path: '/srv/api', defaultAgent: null, allowedAgents: [], createdAt: 2000 });
      expect(await s.codebases.get('web')).toEqual(cb);
      expect(await s.codebases.get('nope')).toBeUndefined();
      expect((await s.codebases.list()).map((c) => c.name)).toEqual(['Api', 'web']);
      expect(await s.codebases.remove('web')).toBe(true);
      expect(await s.codebases.remove('web')).toBe(false);
      expect((await s.codebases.list()).map((c) => c.name)).toEqual(['Api']);
    });

    it('keeps tokens by hash with a name unique among live ones, reusable once revoked; revokes once', async () => {
      const s = await store();
      const row = (id: string, name: string, createdAt = 1000) => ({ id, name, tokenHash: `hash-${id}`, scopes: ['tasks:read'], createdAt, expiresAt: null });
      const first = await s.tokens.insert(row('id1', 'ci'));
      expect(first).toEqual({ ok: true, token: { id: 'id1', name: 'ci', scopes: ['tasks:read'], createdAt: 1000, lastUsedAt: null, revokedAt: null, expiresAt: null } });
      expect(await s.tokens.insert(row('id2', 'ci', 2000))).toMatchObject({ ok: false, reason: 'name_taken', existing: { id: 'id1' } });
      expect(await s.tokens.findByHash('hash-id1')).toMatchObject({ id: 'id1' });
      expect(await s.tokens.findByHash('hash-id2')).toBeUndefined();
      await s.tokens.markUsed('id1', 1500);
      expect(await s.tokens.get('id1')).toMatchObject({ lastUsedAt: 1500 });
      expect(await s.tokens.revoke('ci', 3000)).toMatchObject({ kind: 'revoked', token: { id: 'id1', revokedAt: 3000 } });
      expect(await s.tokens.revoke('ci', 3100)).toMatchObject({ kind: 'already_revoked', token: { id: 'id1', revokedAt: 3000 } });
      expect(await s.tokens.revoke('nope', 3100)).toEqual({ kind: 'not_found' });
      expect(await s.tokens.insert(row('id3', 'ci', 4000))).toMatchObject({ ok: true, token: { id: 'id3' } });
      expect(await s.tokens.revoke('id3', 5000)).toMatchObject({ kind: 'revoked', token: { id: 'id3' } });
      expect((await s.tokens.list()).map((t) => [t.id, t.revokedAt])).toEqual([['id1', 3000], ['id3', 5000]]);
    });

    it('lets exactly one of two connections create a name, and revoke a token, when they race', async () => {
      const place = await engine.fresh();
      const [a, b] = await Promise.all([place.open(), place.open()]);
      const row = (id: string) => ({ id, name: 'shared', tokenHash: `hash-${id}`, scopes: [], createdAt: 1000, expiresAt: null });
      const created = await Promise.all(range(1, 10).map((i) => (i % 2 ? a : b).tokens.insert(row(`id${i}`))));
      const winners = created.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const winner = winners[0]!.ok ? winners[0]!.token.id : '';
      expect(created.every((r) => (r.ok ? r.token.id : r.existing.id) === winner)).toBe(true);
      const revoked = await Promise.all(range(1, 10).map((i) => (i % 2 ? a : b).tokens.revoke(winner, 2000 + i)));
      expect(revoked.filter((r) => r.kind === 'revoked')).toHaveLength(1);
      expect(revoked.filter((r) => r.kind === 'already_revoked')).toHaveLength(9);
    });
  });
}
