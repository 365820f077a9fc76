import { describe, expect, it } from 'vitest';
import type { Api } from '../../renderer/src/lib/api';
import { fillPath, monitorRouteKeys, splitRouteKey } from '../../shared/monitor-routes';

// Compiled by `npm run typecheck` (tsconfig.browser-tests.json): each @ts-expect-error is a call the route table refuses.
export function typeChecks(api: Api) {
  // @ts-expect-error: no such route
  void api.call('GET /api/nope');
  // @ts-expect-error: the route takes a body
  void api.call('POST /api/codebases');
  // @ts-expect-error: the body lacks "path"
  void api.call('POST /api/codebases', { body: { name: 'app' } });
  // @ts-expect-error: the path has a parameter
  void api.call('DELETE /api/codebases/{name}');
  // @ts-expect-error: a GET takes no body
  void api.call('GET /api/tokens', { body: {} });
  // @ts-expect-error: a stream of a task needs its id
  api.stream('/api/tasks/{id}/events', {});
  const settings: Promise<{ configFile: string }> = api.call('GET /api/settings');
  // @ts-expect-error: the answer is a list of tokens, not one
  const token: Promise<{ id: string }> = api.call('GET /api/tokens');
  return [settings, token];
}

describe('the route table', () => {
  it('names each route once, by method and path', () => {
    expect(new Set(monitorRouteKeys).size).toBe(monitorRouteKeys.length);
    for (const key of monitorRouteKeys) expect(key).toMatch(/^(GET|POST|PUT|DELETE) \/\S+$/);
    expect(splitRouteKey('POST /api/tokens/{id}:revoke')).toEqual({ method: 'POST', path: '/api/tokens/{id}:revoke' });
  });

  it('fills path parameters percent-encoded and drops query parameters left undefined', () => {
    expect(fillPath('/api/tokens/{id}:revoke', { id: 'a/b c' })).toBe('/api/tokens/a%2Fb%20c:revoke');
    expect(fillPath('/v1/tasks', {}, { contextId: 'c 1', pageToken: undefined })).toBe('/v1/tasks?contextId=c+1');
    expect(() => fillPath('/v1/tasks/{id}', {})).toThrow(/needs the parameter "id"/);
  });
});
