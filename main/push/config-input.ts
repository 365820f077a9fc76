import type { TaskPushNotificationConfig } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
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
const idRule = `id must be a string of at most ${MAX_ID} printable characters.`;

/** A value sent as an HTTP header of every delivery. */
const headerValue = (name: string) =>
  z
    .string()
    .max(MAX_SECRET, `${name} is longer than ${MAX_SECRET} characters.`)
    .refine((v) => !hasControlChars(v), `${name} may not contain control characters (it is sent as an HTTP header).`);

const urlRequired = 'url is required: the webhook that receives the notifications.';

/**
 * Everything about a config but its target's addresses (checked against the push policy after),
 * in the order a client should fix it. The SDK has decoded the request into this shape; the
 * schema holds what the protocol leaves open (lengths, header-safe values, an auth scheme name).
 */
const configInput = z
  .object({
    taskId: z.string({ error: 'taskId is required.' }).min(1, 'taskId is required.'),
    url: z.string({ error: urlRequired }).min(1, urlRequired).max(MAX_URL, `url is longer than ${MAX_URL} characters.`),
    id: z
      .string({ error: idRule })
      .max(MAX_ID, idRule)
      .refine((v) => !hasControlChars(v), idRule)
      .optional(),
    token: headerValue('token').optional(),
    authentication: z
      .object({
        scheme: z.string().refine((v) => !v || schemeToken.test(v), { error: (issue) => `authentication.scheme "${String(issue.input).slice(0, 40)}" is not an HTTP auth scheme name (for example Bearer or Basic).` }),
        credentials: headerValue('authentication.credentials'),
      })
      .refine((a) => a.scheme || !a.credentials, 'authentication.credentials needs authentication.scheme (for example "Bearer").')
      .optional(),
  });

/** Checks everything about a config except its target's addresses, and shapes it as a row. */
export function configRow(config: TaskPushNotificationConfig, now: number): PushConfigRow {
  const parsed = configInput.safeParse(config, { reportInput: true });
  if (!parsed.success) throw new TaskError('invalid-params', parsed.error.issues[0]!.message);
  const { taskId, url, id, token, authentication } = parsed.data;
  const scheme = authentication?.scheme ?? '';
  return {
    task_id: taskId,
    id: id || randomUUID(),
    url,
    token: token ?? '',
    auth_scheme: scheme || null,
    auth_credentials: scheme ? (authentication?.credentials ?? '') : null,
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
