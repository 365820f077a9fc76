import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkerSessions, WorkerDataDirBusyError } from '../../main/workers/remote/worker-sessions';
import { tempDir } from '../support/temp-dir';
import { appDir, spawnWorker } from './remote-support';

const key = (contextId: string, agent = 'opencode', codebase = 'app') => ({ contextId, agent, codebase });
const module = resolve(import.meta.dirname, '../../main/workers/remote/worker-sessions.ts');

describe('worker session store (<dataDir>/worker.db)', () => {
  it('keeps each context, agent and codebase its own session id across a reopen; a put replaces', () => {
    const dataDir = tempDir('codetether-worker-sessions-');
    const first = openWorkerSessions(dataDir);
    first.put(key('c1'), 'ses_a');
    first.put(key('c1', 'claude'), 'claude-1');
    first.put(key('c1', 'opencode', 'api'), 'ses_api');
    first.put(key('c2'), 'ses_old');
    first.put(key('c2'), 'ses_new');
    first.close();
    expect(existsSync(join(dataDir, 'worker.db'))).toBe(true);

    const again = openWorkerSessions(dataDir);
    expect(again.get(key('c1'))).toBe('ses_a');
    expect(again.get(key('c1', 'claude'))).toBe('claude-1');
    expect(again.get(key('c1', 'opencode', 'api'))).toBe('ses_api');
    expect(again.get(key('c2'))).toBe('ses_new');
    expect(again.get(key('c3'))).toBeUndefined();
    again.close();
  });

  it('keeps one worker id per data dir across reopens; a second worker on the data dir is refused at once', () => {
    const dataDir = tempDir('codetether-worker-sessions-');
    const first = openWorkerSessions(dataDir);
    const id = first.workerId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const t0 = Date.now();
    expect(() => openWorkerSessions(dataDir)).toThrow(WorkerDataDirBusyError);
    expect(() => openWorkerSessions(dataDir)).toThrow(`${join(dataDir, 'worker.db')} is in use by another codetether worker; give each worker its own --data-dir.`);
    expect(Date.now() - t0).toBeLessThan(1000);
    first.close();

    const again = openWorkerSessions(dataDir);
    expect(again.workerId).toBe(id);
    again.close();
    const other = openWorkerSessions(tempDir('codetether-worker-sessions-'));
    expect(other.workerId).not.toBe(id);
    other.close();
  });

  it('keeps a put of a worker process that is SIGKILLed right after it', () => {
    const dataDir = tempDir('codetether-worker-sessions-');
    const script = `
      import { openWorkerSessions } from ${JSON.stringify(module)};
      openWorkerSessions(${JSON.stringify(dataDir)}).put({ contextId: 'c1', agent: 'opencode', codebase: 'app' }, 'ses_crash');
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const sessions = openWorkerSessions(dataDir);
    expect(sessions.get(key('c1'))).toBe('ses_crash');
    sessions.close();
  });

  it('the CLI exits 1 with one line naming worker.db, why it cannot be opened and what to do, and no stack trace', async () => {
    const notADir = join(tempDir('codetether-worker-'), 'data');
    writeFileSync(notADir, 'a file where the data dir should be');
    const w = spawnWorker(['--server', 'http://127.0.0.1:1', '--token', 'ct_x', '--codebase', `app=${appDir()}`, '--data-dir', notADir]);
    expect(await w.exited).toBe(1);
    expect(w.stderr()).toBe(
      `codetether worker: Cannot open the worker's database ${join(notADir, 'worker.db')}: ${notADir} is a file, not a folder. ` +
        "Pass --data-dir a folder this user can write, or move a damaged worker.db aside (it holds only the agents' session ids).\n",
    );
    expect(w.stderr()).not.toMatch(/\n\s+at /);
    expect(w.stdout()).toBe('');
  });

  it('the CLI stops with one line when another worker holds the data dir', async () => {
    const dataDir = tempDir('codetether-worker-data-');
    const holder = openWorkerSessions(dataDir);
    try {
      const w = spawnWorker(['--server', 'http://127.0.0.1:1', '--token', 'ct_x', '--codebase', `app=${appDir()}`, '--data-dir', dataDir]);
      expect(await w.exited).toBe(1);
      expect(w.stderr()).toBe(`codetether worker: Cannot start: ${join(dataDir, 'worker.db')} is in use by another codetether worker; give each worker its own --data-dir.\n`);
    } finally {
      holder.close();
    }
  });

  it('the CLI says why when worker.db is not a database', async () => {
    const dataDir = tempDir('codetether-worker-data-');
    writeFileSync(join(dataDir, 'worker.db'), 'not sqlite');
    const w = spawnWorker(['--server', 'http://127.0.0.1:1', '--token', 'ct_x', '--codebase', `app=${appDir()}`, '--data-dir', dataDir]);
    expect(await w.exited).toBe(1);
    expect(w.stderr()).toMatch(/^codetether worker: Cannot open the worker's database .+worker\.db: file is not a database\. Pass --data-dir .+\n$/);
  });
});
