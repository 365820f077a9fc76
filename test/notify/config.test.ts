import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../main/base/config';

/** A temp dir removed when the test ends (registered from inside the test, where afterEach would not run). */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codetether-email-config-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('email config', () => {
  it('fills defaults, takes passwords from the environment over the file, and names a bad key by its path', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'config.json');
    const email = { host: 'smtp.fastmail.com', from: 'me@fastmail.com', recipients: ['me@fastmail.com'], user: 'me@fastmail.com', imap: { host: 'imap.fastmail.com' } };
    writeFileSync(file, JSON.stringify({ email }), { mode: 0o600 });
    const env = { CODETETHER_EMAIL_PASSWORD: 'smtp-app-pw', CODETETHER_EMAIL_IMAP_PASSWORD: 'imap-app-pw' };
    const config = loadConfig({ env, flags: { dataDir } });
    expect(config.email).toMatchObject({
      tls: 'starttls', password: 'smtp-app-pw', events: ['completed', 'failed', 'input-required'], authResults: 'when-present', replyDays: 30,
      imap: { tls: 'tls', mailbox: 'INBOX', idle: true, password: 'imap-app-pw' },
    });
    // An env password alone configures nothing.
    expect(loadConfig({ env, flags: { dataDir: tempDir() } }).email).toBeUndefined();

    writeFileSync(file, JSON.stringify({ email: { ...email, recipients: ['not an address'] } }));
    chmodSync(file, 0o600);
    expect(() => loadConfig({ env: {}, flags: { dataDir } })).toThrow(/^Invalid config key "email\.recipients\.0" \(from config file .*\): Invalid email address\.$/);
  });
});
