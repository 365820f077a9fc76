import { describe, expect, it } from 'vitest';
import { isLoopbackBind, isLoopbackHostHeader } from '../../main/auth/loopback';
import { publicRules, scopeResolver } from '../../main/auth/route-scopes';

describe('loopback detection', () => {
  it('classifies bind addresses', () => {
    for (const h of ['127.0.0.1', 'localhost', 'LOCALHOST', '::1', '127.1.2.3', '::ffff:127.0.0.1']) expect(isLoopbackBind(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'desktop.lan']) expect(isLoopbackBind(h), h).toBe(false);
  });

  it('parses Host headers strictly', () => {
    for (const h of ['localhost', 'localhost:80', '127.0.0.1:65535', '[::1]', '[::1]:8000', 'LOCALHOST:1']) expect(isLoopbackHostHeader(h), h).toBe(true);
    for (const h of ['', 'localhost:', 'localhost:x', 'localhost.evil', '[::1', '[::2]', '127.0.0.1:80:80', 'a.localhost', '0.0.0.0']) {
      expect(isLoopbackHostHeader(h), h).toBe(false);
    }
  });
});

describe('route scopes', () => {
  it('resolves exact rules, HEAD as GET, longest prefix, then the fallback', () => {
    const resolve = scopeResolver([
      ...publicRules,
      { path: '/workers/', prefix: true, scope: 'worker' },
      { path: '/workers/admin/', prefix: true, scope: 'admin' },
      { method: 'POST', path: '/tokens', scope: 'admin' },
    ]);
    expect(resolve('GET', '/healthz')).toBe('public');
    expect(resolve('HEAD', '/.well-known/agent-card.json')).toBe('public');
    expect(resolve('POST', '/healthz')).toBe('a2a');
    expect(resolve('GET', '/workers/poll')).toBe('worker');
    expect(resolve('GET', '/workers/admin/x')).toBe('admin');
    expect(resolve('POST', '/tokens')).toBe('admin');
    expect(resolve('GET', '/tokens')).toBe('a2a');
  });
});
