import { join } from 'node:path';
import type { Config } from '../base/config-schema';
import type { Logger } from '../base/log';
import type { Db } from '../store/open';
import { createPushRepository } from '../store/push-repository';
import type { TaskBus } from '../tasks/bus';
import { createPushService } from './push-service';
import { loadOrCreatePushSigningKey } from './signing-key-file';

/** The push service as the host runs it: settings from config, signing key from the data dir. */
export function createHostPush(config: Config, db: Db, bus: Pick<TaskBus, 'subscribeAll'>, log: Logger) {
  const signingKey = loadOrCreatePushSigningKey(join(config.dataDir, 'push-signing-key.pem'));
  const service = createPushService({
    repo: createPushRepository(db),
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
