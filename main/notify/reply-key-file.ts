import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The HMAC key of reply tokens, created on first use (owner-only). A file in the data dir, not a
 * settings row, so it never travels with synced data; deleting it voids every reply address sent.
 */
export function loadOrCreateReplyKey(file: string): Buffer {
  if (!existsSync(file)) {
    const key = randomBytes(32);
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      return key;
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < 32) throw new Error(`${file} does not hold a reply key of 32 bytes; delete it to make a new one (reply addresses already sent stop working).`);
  return key;
}
