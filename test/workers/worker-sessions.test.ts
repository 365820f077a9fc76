import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkerSessions } from '../../main/workers/remote/worker-sessions';
import { tempDir } from '../helpers/temp-dir';

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
});
