import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/base/log';

describe('logger', () => {
  it('writes JSON lines at or above its level, with the scope of its children', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.debug('hidden');
    log.info('shown', { n: 1 });
    log.child('http').child('req').warn('scoped');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 'info', msg: 'shown', n: 1 }),
      expect.objectContaining({ level: 'warn', msg: 'scoped', scope: 'http.req' }),
    ]);
    expect(log.enabled('debug')).toBe(false);
  });

  it('gathers stderr lines per event-loop turn and loses none when the process exits at once', () => {
    const script = `
      const { createLogger } = await import('./main/base/log.ts');
      const log = createLogger('info');
      for (let i = 0; i < 500; i++) log.info('line', { i });
      process.exit(0);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n').map((l) => JSON.parse(l) as { i: number });
    expect(lines.map((l) => l.i)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});
