import { join } from 'node:path';
import type { Config } from '../base/config-schema';
import type { Logger } from '../base/log';
import type { PushRepository } from '../store/push-repository';
import type { TaskBus } from '../tasks/bus';
import { createPushService, type PushService } from './push-service';
import { loadOrCreatePushSigningKey } from './signing-key-file';
import type { PushSigningKey } from './signature';

export interface HostPush {
  readonly service: PushService;
  /** The key webhook receivers verify our signatures with (served at its well-known route). */
  readonly signingKey: PushSigningKey;
}

/** The push service as the host runs it: settings from config, signing key from the data dir. */
export function createHostPush(config: Config, repo: PushRepository, bus: Pick<TaskBus, 'subscribeAll'>, log: Logger): HostPush {
  const signingKey = loadOrCreatePushSigningKey(join(config.dataDir, 'push-signing-key.pem'));
  const service = createPushService({
    repo,
    bus,
    log,
    signingKey,
    config: {
      allowlist: config.pushAllowlist,
      maxAttempts: config.pushMaxAttempts,
      baseDelayMs: config.pushBaseDelayMs,
      maxDelayMs: config.pushMaxDelayMs,
      timeoutMs: config.pushTimeoutMs,
    },
  });
  return { service, signingKey };
}
