import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { readConfigFile } from './config';

/**
 * Writes config.json whole: a temp file next to it, then rename, so a crash leaves the old file or
 * the new one, never half of one. Mode 0600: it may hold an API key or a mail password.
 */
export function writeConfigFile(file: string, values: Record<string, unknown>): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(values, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/**
 * Sets (a value) or removes (null) top-level keys of the config file and returns what it holds
 * then. Read, merge and write run in one synchronous stretch, so two updates cannot interleave; a
 * file that cannot be read as settings is a ConfigError and stays as it is.
 */
export function updateConfigFile(file: string, changes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const next = { ...readConfigFile(file) };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  writeConfigFile(file, next);
  return next;
}
