import { TaskError } from './task-error';

/** Opaque keyset cursor for ListTasks: the (updated_at, id) of the last task on the page. */
export function encodePageToken(updatedAt: number, id: string): string {
  return Buffer.from(`${updatedAt}:${id}`, 'utf8').toString('base64url');
}

export function decodePageToken(token: string): { updatedAt: number; id: string } {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const sep = text.indexOf(':');
  const updatedAt = Number(text.slice(0, sep));
  if (sep <= 0 || !Number.isSafeInteger(updatedAt) || sep === text.length - 1) {
    throw new TaskError('invalid-params', 'pageToken is not a token this server issued; pass the nextPageToken of a previous ListTasks answer.');
  }
  return { updatedAt, id: text.slice(sep + 1) };
}
