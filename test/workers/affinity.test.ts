import { TaskState, type Task } from '@a2a-js/sdk';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { registerCodebase } from '../../main/workers/workspace/codebases';
import { chooseSite, createSiteMemory, localSite, type RunSite, type SiteView } from '../../main/workers/dispatch/affinity';
import { claimNote, createRunSiteLookup, parseClaimNote, siteOfRuns } from '../../main/workers/dispatch/run-sites';
import { startRpcHost } from '../a2a/support';
import { userMessage } from '../support/task-core';
import { appDir } from './remote-support';
import { fixtures } from './support';

const a: RunSite = { local: false, workerId: 'id-a', name: 'box' };
const b: RunSite = { local: false, workerId: 'id-b', name: 'other' };
const view = (site: RunSite, free: boolean, ref = site.local ? 'local' : site.workerId): SiteView<string> => ({ ref, site, free });

describe('chooseSite', () => {
  it('takes no side without a previous run, or when none of the connected workers ran it', () => {
    expect(chooseSite(undefined, [view(a, true), view(b, true)])).toEqual({ kind: 'any' });
    expect(chooseSite({ local: false, workerId: 'gone', name: 'gone-box' }, [view(a, true), view(localSite, true)])).toEqual({ kind: 'any' });
    expect(chooseSite(localSite, [view(a, true), view(b, false)])).toEqual({ kind: 'any' });
  });

  it('runs on the worker that ran the previous task when it is free, waits for it when busy', () => {
    expect(chooseSite(b, [view(a, true), view(b, true)])).toEqual({ kind: 'run', on: 'id-b' });
    expect(chooseSite(b, [view(a, true), view(b, false)])).toEqual({ kind: 'wait', for: 'id-b' });
    expect(chooseSite(localSite, [view(a, true), view(localSite, true)])).toEqual({ kind: 'run', on: 'local' });
    expect(chooseSite(localSite, [view(a, true), view(localSite, false)])).toEqual({ kind: 'wait', for: 'local' });
  });

  it('matches by id only: another worker of the same name is not the one that ran the context', () => {
    const twin: RunSite = { local: false, workerId: 'id-c', name: 'box' };
    expect(chooseSite(a, [view(b, true), view(twin, true)])).toEqual({ kind: 'any' });
    expect(chooseSite(a, [view(twin, true), view(a, false)])).toEqual({ kind: 'wait', for: 'id-a' });
    expect(chooseSite(localSite, [view(twin, true), view(b, true)])).toEqual({ kind: 'any' });
  });
});

describe('siteOfRuns', () => {
  const claim = (site: RunSite & { local: false }) => ({ state: 'TASK_STATE_WORKING', worker: claimNote({ id: site.workerId, name: site.name }) });
  const st = (name: string) => ({ state: `TASK_STATE_${name}` });

  it('reads the claim note back', () => {
    expect(parseClaimNote(claimNote({ id: 'f00-1', name: 'build box (eu)' }))).toEqual({ local: false, workerId: 'f00-1', name: 'build box (eu)' });
    expect(parseClaimNote('no id')).toBeUndefined();
    expect(parseClaimNote(5)).toBeUndefined();
  });

  it('names the worker of the latest run: a claim, or this process for a run without one', () => {
    expect(siteOfRuns([])).toBeUndefined();
    expect(siteOfRuns([st('CANCELED')])).toBeUndefined();
    expect(siteOfRuns([st('WORKING'), st('COMPLETED')])).toEqual(localSite);
    expect(siteOfRuns([claim(a), st('WORKING'), st('COMPLETED')])).toEqual(a);
    // Requeued from a, then run by b.
    expect(siteOfRuns([claim(a), st('WORKING'), st('SUBMITTED'), claim(b), st('COMPLETED')])).toEqual(b);
    // Requeued from a, then run here.
    expect(siteOfRuns([claim(a), st('SUBMITTED'), st('WORKING'), st('COMPLETED')])).toEqual(localSite);
    // Requeued and not run again yet: the run before.
    expect(siteOfRuns([claim(a), st('WORKING'), st('SUBMITTED')])).toEqual(a);
    // Continued after input-required (the send's own working status starts the run): on b, then here.
    expect(siteOfRuns([claim(a), st('INPUT_REQUIRED'), st('WORKING'), claim(b), st('INPUT_REQUIRED')])).toEqual(b);
    expect(siteOfRuns([claim(a), st('INPUT_REQUIRED'), st('WORKING'), st('COMPLETED')])).toEqual(localSite);
    // Continued, still queued: the run before.
    expect(siteOfRuns([claim(a), st('INPUT_REQUIRED'), st('WORKING')])).toEqual(a);
  });
});

describe('createSiteMemory', () => {
  it('asks the store once per key it does not hold, keeps the answer, and forgets the least recently placed beyond its cap', () => {
    const asked: string[] = [];
    const memory = createSiteMemory(2, (k) => {
      asked.push(k.contextId);
      return k.contextId === 'stored' ? a : undefined;
    });
    const key = (contextId: string) => ({ contextId, agent: 'opencode', codebase: 'app' });
    expect(memory.get(key('stored'))).toEqual(a);
    expect(memory.get(key('stored'))).toEqual(a);
    expect(memory.get(key('new'))).toBeUndefined();
    expect(memory.get(key('new'))).toBeUndefined();
    expect(asked).toEqual(['stored', 'new']);
    memory.set(key('new'), b);
    expect(memory.get(key('new'))).toEqual(b);
    memory.set(key('third'), localSite);
    expect(memory.size).toBe(2);
    expect(memory.get(key('stored'))).toEqual(a);
    expect(asked).toEqual(['stored', 'new', 'stored']);
    expect(memory.get({ ...key('third'), agent: 'claude' })).toBeUndefined();
  });
});

describe('createRunSiteLookup', () => {
  it('finds a run of this process in the task store, by context, agent and codebase', async () => {
    const { host } = await startRpcHost({ mcpPort: 0, agents: { paced: { command: process.execPath, args: [join(fixtures, 'paced.js')] } } });
    registerCodebase(createCodebaseRepository(host.db), { name: 'app', path: appDir(), knownAgents: ['paced'], now: Date.now() });
    const send = async (metadata: Record<string, unknown>, contextId?: string): Promise<Task> =>
      (await host.tasks.send({ message: userMessage('lines 1 1', { contextId, metadata }) })).task;
    // The codebase named in the message's metadata.
    const first = await send({ agent: 'paced', codebase: 'app' });
    expect((await host.tasks.settled(first.id)).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const lookup = createRunSiteLookup(host.db);
    const key = { contextId: first.contextId, agent: 'paced', codebase: 'app' };
    expect(lookup(key)).toEqual(localSite);
    expect(lookup({ ...key, codebase: 'web' })).toBeUndefined();
    expect(lookup({ ...key, agent: 'echo' })).toBeUndefined();
    expect(lookup({ ...key, contextId: 'elsewhere' })).toBeUndefined();

    // The codebase named in request metadata.
    const { task: second } = await host.tasks.send({ message: userMessage('lines 1 1', { contextId: first.contextId }), metadata: { agent: 'paced', codebase: 'app' } });
    await host.tasks.settled(second.id);
    expect(lookup(key)).toEqual(localSite);
  });
});
