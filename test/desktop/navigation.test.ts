import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../main/app/ipc-sender';
import { isAppPage, isExternalUrl, pageUrl, type AppLocation } from '../../main/app/navigation';

const built: AppLocation = { kind: 'host', origin: 'http://127.0.0.1:8000' };
const dev: AppLocation = { kind: 'dev', devServerUrl: 'http://localhost:5173' };

describe('isAppPage', () => {
  it('accepts the monitor the host serves, at any path, hash or query, and nothing else', () => {
    expect(pageUrl(built)).toBe('http://127.0.0.1:8000/');
    expect(isAppPage('http://127.0.0.1:8000/', built)).toBe(true);
    expect(isAppPage('http://127.0.0.1:8000/tasks/1?x=1#top', built)).toBe(true);
    expect(isAppPage('http://127.0.0.1:8001/', built)).toBe(false);
    expect(isAppPage('http://localhost:8000/', built)).toBe(false);
    expect(isAppPage('file:///etc/passwd', built)).toBe(false);
    expect(isAppPage('http://localhost:5173/', built)).toBe(false);
    expect(isAppPage('not a url', built)).toBe(false);
  });

  it('accepts the dev server origin only, not a look-alike', () => {
    expect(isAppPage('http://localhost:5173/', dev)).toBe(true);
    expect(isAppPage('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAppPage('http://localhost:5174/', dev)).toBe(false);
    expect(isAppPage('http://localhost:5173.evil.test/', dev)).toBe(false);
    expect(isAppPage('https://localhost:5173/', dev)).toBe(false);
  });
});

describe('isExternalUrl', () => {
  it('lets the system browser open web pages only', () => {
    expect(isExternalUrl('https://github.com/codetether')).toBe(true);
    expect(isExternalUrl('http://127.0.0.1:8000/healthz')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'vscode://file/x', 'mailto:a@b.c', 'about:blank', '']) {
      expect(isExternalUrl(url), url).toBe(false);
    }
  });
});

describe('isTrustedSender', () => {
  it('trusts only our window top frame showing our page', () => {
    const url = 'http://127.0.0.1:8000/';
    expect(isTrustedSender({ url, isOurMainFrame: true }, built)).toBe(true);
    expect(isTrustedSender({ url, isOurMainFrame: false }, built)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.test/', isOurMainFrame: true }, built)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5173/', isOurMainFrame: true }, dev)).toBe(true);
    expect(isTrustedSender(null, built)).toBe(false);
    expect(isTrustedSender(undefined, dev)).toBe(false);
  });
});
