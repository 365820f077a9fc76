import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CodebaseInfo } from '../../shared/monitor-api';
import { main } from '../../main/cli/main';
import type { TestHost } from '../support/host';
import { tempDir } from '../support/temp-dir';
import { pair, startSyncHost, startTestRelay, type TestRelay } from './support';
import { waitFor } from '../support/wait';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const codebasesOf = async (h: TestHost): Promise<CodebaseInfo[]> => (await fetch(`${h.origin}/api/codebases`)).json() as Promise<CodebaseInfo[]>;
const named = (list: CodebaseInfo[], name: string) => list.find((c) => c.name === name);

describe('codebases and device names roam through the workspace index', () => {
  let relay: TestRelay | undefined;
  let a: TestHost | undefined;
  let b: TestHost | undefined;
  let folders: string;

  beforeEach(async () => {
    folders = tempDir('ct-sync-folders-');
    relay = await startTestRelay();
    a = await startSyncHost('desktop');
    b = await startSyncHost('laptop');
    await pair(a.dataDir, relay.relay.url, 'team', relay.token('team'));
    await pair(b.dataDir, relay.relay.url, 'team', relay.token('team'));
  });

  it('a codebase registered on A is known by name on B, without a path, until B registers its own folder', async () => {
    const onA = join(folders, 'a-app');
    const onB = join(folders, 'b-app');
    mkdirSync(onA);
    mkdirSync(onB);
    expect((await cli('codebase', 'add', 'app', onA, '--agent', 'echo', '--allow', 'echo', '--data-dir', a!.dataDir)).code).toBe(0);

    // The CLI wrote A's table behind the running host's back; the host publishes it anyway.
    const seen = await waitFor(() => codebasesOf(b!), (l) => named(l, 'app') !== undefined, 15_000, 'A\'s codebase on B');
    expect(named(seen, 'app')).toEqual({
      name: 'app', path: null, defaultAgent: 'echo', allowedAgents: ['echo'], createdAt: expect.any(Number), onThisDevice: false, elsewhere: ['desktop'],
    });
    // Tasks run only in folders of this device: the overview (and the composer) leave it out.
    const overview = (await (await fetch(`${b!.origin}/api/overview`)).json()) as { codebases: CodebaseInfo[] };
    expect(overview.codebases).toEqual([]);
    const listed = await cli('codebase', 'list', '--data-dir', b!.dataDir);
    expect(listed.out.split('\n')[1]).toMatch(/^app\s+-\s+echo\s+echo\s+on desktop, not on this device$/);

    // B registers the same name with its own folder; each device keeps its own path.
    const added = await fetch(`${b!.origin}/api/codebases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'app', path: onB }) });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ name: 'app', path: realpathSync(onB), defaultAgent: null, onThisDevice: true, elsewhere: ['desktop'] });
    const onAList = await waitFor(() => codebasesOf(a!), (l) => named(l, 'app')?.elsewhere.length === 1, 15_000, 'B\'s registration on A');
    expect(named(onAList, 'app')).toMatchObject({ path: realpathSync(onA), defaultAgent: 'echo', onThisDevice: true, elsewhere: ['laptop'] });
    expect(JSON.parse((await cli('codebase', 'list', '--json', '--data-dir', a!.dataDir)).out)).toEqual([
      expect.objectContaining({ name: 'app', path: realpathSync(onA), onThisDevice: true, elsewhere: ['laptop'] }),
    ]);

    // A removes its own; B keeps its registration and stops listing A.
    expect((await cli('codebase', 'remove', 'app', '--data-dir', a!.dataDir)).code).toBe(0);
    const after = await waitFor(() => codebasesOf(b!), (l) => named(l, 'app')?.elsewhere.length === 0, 15_000, 'A\'s removal on B');
    expect(named(after, 'app')).toMatchObject({ path: realpathSync(onB), onThisDevice: true });
    expect(named(await codebasesOf(a!), 'app')).toMatchObject({ path: null, onThisDevice: false, elsewhere: ['laptop'] });
    await waitFor(() => a!.host.sync.status(), (s) => s.pending === 0, 10_000, 'A acknowledged');
  });

  it('a codebase registered while the relay is down reaches the other device once it is back', async () => {
    mkdirSync(join(folders, 'later'));
    await waitFor(() => a!.host.sync.status(), (s) => s.state === 'connected' && s.pending === 0, 10_000, 'A synced');
    await relay!.stop();
    await waitFor(() => a!.host.sync.status(), (s) => s.state === 'offline', 10_000, 'A offline');
    expect((await cli('codebase', 'add', 'later', join(folders, 'later'), '--data-dir', a!.dataDir)).code).toBe(0);
    await waitFor(() => a!.host.sync.status(), (s) => s.pending > 0, 5_000, 'A\'s registration waiting');

    await relay!.restart();
    const onB = await waitFor(() => codebasesOf(b!), (l) => named(l, 'later') !== undefined, 20_000, 'the offline registration on B');
    expect(named(onB, 'later')).toMatchObject({ path: null, onThisDevice: false, elsewhere: ['desktop'] });
    await waitFor(() => a!.host.sync.status(), (s) => s.state === 'connected' && s.pending === 0, 15_000, 'A acknowledged');
  });

  it('the same name on two devices with different rules: each device lists its own, a third device lists both devices', async () => {
    mkdirSync(join(folders, 'one'));
    mkdirSync(join(folders, 'two'));
    expect((await cli('codebase', 'add', 'lib', join(folders, 'one'), '--agent', 'echo', '--data-dir', a!.dataDir)).code).toBe(0);
    expect((await cli('codebase', 'add', 'lib', join(folders, 'two'), '--data-dir', b!.dataDir)).code).toBe(0);
    const c = await startSyncHost('tablet');
    try {
      await pair(c.dataDir, relay!.relay.url, 'team', relay!.token('team'));
      const onC = await waitFor(() => codebasesOf(c), (l) => named(l, 'lib')?.elsewhere.length === 2, 15_000, 'both entries on C');
      const lib = named(onC, 'lib')!;
      expect(lib).toMatchObject({ path: null, onThisDevice: false });
      expect([...lib.elsewhere].sort()).toEqual(['desktop', 'laptop']);
      // One of the two entries' rules (the newest; test/sync/known-codebases.test.ts pins the rule).
      expect([null, 'echo']).toContain(lib.defaultAgent);
      expect(named(await codebasesOf(a!), 'lib')).toMatchObject({ defaultAgent: 'echo', elsewhere: ['laptop'] });
      expect(named(await codebasesOf(b!), 'lib')).toMatchObject({ defaultAgent: null, elsewhere: ['desktop'] });
    } finally {
      await c.host.stop();
    }
  });
});
