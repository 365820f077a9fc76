import type { TaskPushNotificationConfig } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import type { PushConfigRow } from '../store/push-repository';
import { TaskError } from '../tasks/task-error';

// RFC 9110 `token`: what an auth scheme name may be.
const schemeToken = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Header values may not hold control characters (tab aside); CR/LF would split the request. */
function hasControlChars(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}
const MAX_ID = 256;
const MAX_URL = 2048;
const MAX_SECRET = 4096;

function invalid(message: string): never {
  throw new TaskError('invalid-params', message);
}

function headerSafe(name: string, value: string): void {
  if (value.length > MAX_SECRET) invalid(`${name} is longer than ${MAX_SECRET} characters.`);
  if (hasControlChars(value)) invalid(`${name} may not contain control characters (it is sent as an HTTP header).`);
}

/** Checks everything about a config except its target's addresses, and shapes it as a row. */
export function configRow(config: TaskPushNotificationConfig, now: number): PushConfigRow {
  if (typeof config.taskId !== 'string' || !config.taskId) invalid('taskId is required.');
  if (typeof config.url !== 'string' || !config.url) invalid('url is required: the webhook that receives the notifications.');
  if (config.url.length > MAX_URL) invalid(`url is longer than ${MAX_URL} characters.`);
  const id = config.id || randomUUID();
  if (typeof id !== 'string' || id.length > MAX_ID || hasControlChars(id)) invalid(`id must be a string of at most ${MAX_ID} printable characters.`);
  const token = config.token ?? '';
  headerSafe('token', token);
  const scheme = config.authentication?.scheme ?? '';
  const credentials = config.authentication?.credentials ?? '';
  if (scheme && !schemeToken.test(scheme)) invalid(`authentication.scheme "${scheme.slice(0, 40)}" is not an HTTP auth scheme name (for example Bearer or Basic).`);
  if (!scheme && credentials) invalid('authentication.credentials needs authentication.scheme (for example "Bearer").');
  headerSafe('authentication.credentials', credentials);
  return {
    task_id: config.taskId,
    id,
    url: config.url,
    token,
    auth_scheme: scheme || null,
    auth_credentials: scheme ? credentials : null,
    created_at: now,
  };
}

export function configFromRow(row: PushConfigRow): TaskPushNotificationConfig {
  return {
    tenant: '',
    id: row.id,
    taskId: row.task_id,
    url: row.url,
    token: row.token,
    authentication: row.auth_scheme ? { scheme: row.auth_scheme, credentials: row.auth_credentials ?? '' } : undefined,
  };
}
