import { describe, expect, it } from 'vitest';
import { pageOrigin, withHostCors } from '../../main/app/host-cors';
import type { AppLocation } from '../../main/app/navigation';

const built: AppLocation = { kind: 'file', indexUrl: 'file:///app/out/renderer/index.html' };
const dev: AppLocation = { kind: 'dev', devServerUrl: 'http://localhost:5173/' };
const host = 'http://127.0.0.1:8000';

describe('withHostCors', () => {
  it('lets our page read responses from our host, naming exactly our page origin', () => {
    expect(pageOrigin(built)).toBe('null');
    expect(pageOrigin(dev)).toBe('http://localhost:5173');
    const headers = withHostCors({ 'Content-Type': ['application/json'] }, `${host}/healthz`, host, built);
    expect(headers).toEqual({ 'Content-Type': ['application/json'], 'Access-Control-Allow-Origin': ['null'], Vary: ['Origin'] });
    expect(withHostCors({}, `${host}/healthz`, host, dev)?.['Access-Control-Allow-Origin']).toEqual(['http://localhost:5173']);
  });

  it('leaves other servers and a host that answers CORS itself alone', () => {
    expect(withHostCors({}, 'http://127.0.0.1:9999/healthz', host, built)).toBeUndefined();
    expect(withHostCors({}, 'https://example.com/', host, built)).toBeUndefined();
    expect(withHostCors({ 'access-control-allow-origin': ['*'] }, `${host}/x`, host, built)).toBeUndefined();
    expect(withHostCors({}, 'not a url', host, built)).toBeUndefined();
  });
});
