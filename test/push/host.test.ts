import { TaskPushNotificationConfig } from '@a2a-js/sdk';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../main/base/config';
import { startTestHost } from '../support/host';
import { verifyPushSignature } from '../../main/push/signature';
import { userMessage } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { startReceiver } from './support';
import { waitFor } from '../support/wait';

describe('push in the host', () => {
  it('reads its settings from config and CODETETHER_PUSH_ALLOWLIST', () => {
    const dataDir = tempDir();
    const defaults = loadConfig({ env: {}, flags: { dataDir } });
    expect(defaults).toMatchObject({ pushAllowlist: [], pushMaxAttempts: 8, pushBaseDelayMs: 1000, pushMaxDelayMs: 300_000, pushTimeoutMs: 10_000 });
    const env = { CODETETHER_PUSH_ALLOWLIST: ' 127.0.0.1, 10.0.0.0/8 ,hooks.lan', CODETETHER_PUSH_MAX_ATTEMPTS: '3' };
    expect(loadConfig({ env, flags: { dataDir } })).toMatchObject({ pushAllowlist: ['127.0.0.1', '10.0.0.0/8', 'hooks.lan'], pushMaxAttempts: 3 });
  });

  it('refuses to start with a malformed allowlist entry', async () => {
    await expect(startTestHost({ config: { pushAllowlist: ['10.0.0.0/99'] } })).rejects.toThrow(/pushAllowlist entry "10.0.0.0\/99"/);
  });

  it('delivers signed events, serves the public key, and keeps the key across restarts', async () => {
    const dataDir = tempDir();
    const settings = { dataDir, config: { pushAllowlist: ['127.0.0.1'], pushBaseDelayMs: 20 } };
    const receiver = await startReceiver();
    const { host } = await startTestHost(settings);

    const keyUrl = new URL('/.well-known/codetether-push-key', host.urls.health);
    const doc = (await (await fetch(keyUrl)).json()) as { algorithm: string; publicKeyPem: string; jwk: { kty: string; crv: string } };
    expect(doc).toMatchObject({ algorithm: 'Ed25519', jwk: { kty: 'OKP', crv: 'Ed25519' } });
    expect(statSync(join(dataDir, 'push-signing-key.pem')).mode & 0o777).toBe(0o600);

    const { task, firstSeq } = await host.tasks.send({ message: userMessage('hello') });
    await host.push.create(TaskPushNotificationConfig.fromJSON({ taskId: task.id, url: receiver.url }), { fromSeq: firstSeq });
    await host.tasks.settled(task.id);
    const events = host.tasks.eventsAfter(task.id, 0);
    await receiver.until(() => receiver.requests.length === events.length);
    for (const r of receiver.requests) {
      expect(verifyPushSignature({ header: r.headers['x-codetether-signature'] as string, body: r.body, publicKey: doc.publicKeyPem }).ok).toBe(true);
    }
    await waitFor(() => host.push.outbox(task.id).length === 0);
    await host.stop();

    const { host: again } = await startTestHost(settings);
    const doc2 = (await (await fetch(new URL('/.well-known/codetether-push-key', again.urls.health))).json()) as { publicKeyPem: string };
    expect(doc2.publicKeyPem).toBe(doc.publicKeyPem);
  });
});
