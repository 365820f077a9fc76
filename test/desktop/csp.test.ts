import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, loopbackOrigins } from '../../main/app/csp';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split('; ').map((d) => {
    const [name, ...sources] = d.split(' ');
    return [name!, sources];
  }));
}

describe('contentSecurityPolicy', () => {
  it('denies by default, allows scripts only from the app itself, and inline styles for the terminal', () => {
    const csp = directives(contentSecurityPolicy({ connect: ['http://127.0.0.1:8000'] }));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:8000']);
    expect(contentSecurityPolicy({ connect: [] }).replace("style-src 'self' 'unsafe-inline'", '')).not.toMatch(/unsafe|\*/);
  });

  it('allows loopback on any port when the host port is not known yet', () => {
    const csp = directives(contentSecurityPolicy({ connect: loopbackOrigins }));
    expect(csp.get('connect-src')).toEqual(["'self'", ...loopbackOrigins]);
  });

  it('relaxes only what the Vite dev server needs in dev', () => {
    const csp = directives(contentSecurityPolicy({ connect: ['http://127.0.0.1:8000'], dev: true }));
    expect(csp.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'ws:', 'http://127.0.0.1:8000']);
    expect(csp.get('default-src')).toEqual(["'none'"]);
  });

  it('refuses a connect source that would smuggle in another source or directive', () => {
    for (const bad of ['http://a.test; script-src *', "http://a.test 'unsafe-eval'", 'http://a.test,http://b.test', '*', '']) {
      expect(() => contentSecurityPolicy({ connect: [bad] }), bad).toThrow(/Not a valid CSP source/);
    }
  });
});
