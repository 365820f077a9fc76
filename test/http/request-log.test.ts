import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger, type LogLevel } from '../../main/base/log';
import { sendJson } from '../../main/http/respond';
import { createRouter } from '../../main/http/router';
import { createHttpServer } from '../../main/http/server';

/** A real server on 127.0.0.1 whose log lines land in `lines`. */
async function serve(level: LogLevel) {
  const lines: { level: string; msg: string; status?: number; path?: string }[] = [];
  const router = createRouter();
  router.add('GET', '/ok', (_req, res) => sendJson(res, 200, { ok: true }));
  router.add('GET', '/boom', () => {
    throw new Error('boom');
  });
  const http = createHttpServer({ router, log: createLogger(level, (l) => lines.push(JSON.parse(l) as (typeof lines)[number])) });
  const address = await http.listen('127.0.0.1', 0);
  onTestFinished(() => http.close(100));
  const get = async (path: string) => (await fetch(`http://127.0.0.1:${address.port}${path}`)).status;
  return { lines, get };
}

describe('the request log', () => {
  it('at info logs failures only, not every request', async () => {
    const { lines, get } = await serve('info');
    expect(await get('/ok')).toBe(200);
    expect(await get('/nowhere')).toBe(404);
    expect(await get('/boom')).toBe(500);
    await new Promise((r) => setTimeout(r, 20));
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests).toEqual([expect.objectContaining({ level: 'info', path: '/boom', status: 500 })]);
  });

  it('at debug logs an access line for every request', async () => {
    const { lines, get } = await serve('debug');
    await get('/ok');
    await get('/nowhere');
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.filter((l) => l.msg === 'request').map((l) => [l.level, l.path, l.status])).toEqual([
      ['debug', '/ok', 200],
      ['debug', '/nowhere', 404],
    ]);
  });
});
