import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): time-ordered, so new tasks and sessions land at the right edge of their
 * B-tree indexes instead of on random pages, which keeps every commit's page writes few. The
 * random bits come from randomUUID, whose entropy is pooled (randomBytes per id costs a syscall).
 */
export function newId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
