import { Message, type Task } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import { main } from '../../main/cli/main';
import { issueToken } from '../../sync-server/test/helpers/data-dir';
import { killRelay, spawnRelay, type RelayProcess } from '../../sync-server/test/helpers/relay-process';
import { whenDone } from '../support/cleanup';
import { startTestHost, type TestHost, type TestHostOptions } from '../support/host';
import { tempDir } from '../support/temp-dir';

/** Short timings so documents unload and pairings are picked up within a test's time. */
const syncOptions = { idleMs: 300, settingsPollMs: 100 };

export interface TestRelay {
  relay: RelayProcess;
  dataDir: string;
  /** Stops the process gracefully (SIGTERM), as an operator or a deploy would. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir. */
  restart(): Promise<void>;
  token(workspace: string): string;
}

/** The relay in its own process on a temp data dir, killed when the test (or file) is done. */
export async function startTestRelay(): Promise<TestRelay> {
  const dataDir = tempDir('ct-sync-relay-');
  // The token store is created by the first open; tokens are issued before the process starts.
  const tokens = new Map<string, string>();
  for (const ws of ['team', 'other']) tokens.set(ws, issueToken(dataDir, ws));
  const handle: TestRelay = {
    relay: await spawnRelay(dataDir),
    dataDir,
    async stop() {
      await killRelay(handle.relay, 'SIGTERM');
    },
    async restart() {
      handle.relay = await spawnRelay(dataDir, ['--port', String(handle.relay.port)]);
    },
    token: (ws) => tokens.get(ws)!,
  };
  whenDone(() => killRelay(handle.relay));
  return handle;
}

/** Pairs a data dir through the real CLI, as a user would. */
export async function pair(dataDir: string, relayUrl: string, workspace: string, token: string): Promise<void> {
  const out: string[] = [];
  const code = await main(['sync', 'join', relayUrl, '--workspace', workspace, '--token', token, '--data-dir', dataDir], { out: (t) => out.push(t), err: (t) => out.push(t) });
  if (code !== 0) throw new Error(`sync join failed: ${out.join('\n')}`);
}

/**
 * A test host (test/support/host.ts) with short sync timings, called `deviceName` by the other
 * devices (test hosts all share the machine's name).
 */
export function startSyncHost(deviceName?: string, options: TestHostOptions = {}): Promise<TestHost> {
  return startTestHost({ ...options, sync: { ...syncOptions, deviceName } });
}

export function text(t: string, contextId?: string): Message {
  return Message.fromJSON({ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: t }], ...(contextId ? { contextId } : {}) });
}

/** Sends through the task service (the A2A edge's own path) and waits until the echo agent is done. */
export async function sendAndSettle(h: TestHost, t: string, contextId?: string): Promise<Task> {
  const { task } = await h.host.tasks.send({ message: text(t, contextId) });
  return h.host.tasks.settled(task.id);
}

/** The task as this host's A2A GetTask would return it, or undefined while it has not arrived. */
export function findTask(h: TestHost, taskId: string): Task | undefined {
  try {
    return h.host.tasks.get(taskId);
  } catch {
    return undefined;
  }
}

export function historyText(task: Task | undefined): string[] {
  return (task?.history ?? []).map((m) => m.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join(''));
}
