import { TaskState } from '@a2a-js/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../sync-server/test/helpers/data-dir';
import { tempDir } from '../support/temp-dir';
import { startRedis, type RedisProcess } from '../../sync-server/test/helpers/redis';
import { killRelay, spawnRelay, type RelayProcess } from '../../sync-server/test/helpers/relay-process';
import type { TestHost } from '../support/host';
import { findTask, historyText, pair, sendAndSettle, startSyncHost } from './support';
import { waitFor } from '../support/wait';

const COMPLETED = TaskState.TASK_STATE_COMPLETED;

describe('two relay instances sharing a redis-server, one host on each', () => {
  const dirs = [tempDir(), tempDir()];
  let redis: RedisProcess;
  let relays: RelayProcess[] = [];
  let a: TestHost | undefined;
  let b: TestHost | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    const token = issueToken(dirs, 'team');
    relays = await Promise.all(dirs.map((d) => spawnRelay(d, ['--redis', redis.url])));
    a = await startSyncHost();
    b = await startSyncHost();
    await pair(a.dataDir, relays[0]!.url, 'team', token);
    await pair(b.dataDir, relays[1]!.url, 'team', token);
  });

  afterAll(async () => {
    await a?.host.stop();
    await b?.host.stop();
    await Promise.all(relays.map((r) => killRelay(r, 'SIGTERM')));
    await redis?.stop();
  });

  it('converges sessions created on either side', async () => {
    const fromA = await sendAndSettle(a!, 'written on A, through relay 1');
    const fromB = await sendAndSettle(b!, 'written on B, through relay 2');
    const onB = await waitFor(() => findTask(b!, fromA.id), (t) => t?.status?.state === COMPLETED, 20_000, "A's task on B");
    const onA = await waitFor(() => findTask(a!, fromB.id), (t) => t?.status?.state === COMPLETED, 20_000, "B's task on A");
    expect(historyText(onB)).toEqual(['written on A, through relay 1', 'written on A, through relay 1']);
    expect(historyText(onA)).toEqual(['written on B, through relay 2', 'written on B, through relay 2']);

    const continued = await sendAndSettle(b!, 'B continues A\'s session', fromA.contextId);
    await waitFor(() => findTask(a!, continued.id), (t) => t?.status?.state === COMPLETED, 20_000, 'the continuation on A');
    expect(a!.host.tasks.list({ contextId: fromA.contextId }).totalSize).toBe(2);
  });
});
