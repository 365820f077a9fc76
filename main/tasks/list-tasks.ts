import type { TaskState, Task } from '@a2a-js/sdk';
import type { TaskRepository } from '../store/task-repository';
import { taskFromRow } from './codec';
import { decodePageToken, encodePageToken } from './page-token';
import { stateName } from './states';
import { TaskError } from './task-error';

export interface ListInput {
  contextId?: string;
  state?: TaskState;
  pageSize?: number;
  pageToken?: string;
  historyLength?: number;
  statusTimestampAfter?: string;
  includeArtifacts?: boolean;
}

export interface ListResult {
  tasks: Task[];
  nextPageToken: string;
  pageSize: number;
  totalSize: number;
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 100;

/** ListTasks: newest first, filtered, paged by a keyset token, from committed data (`reader`). */
export function listTasks(reader: TaskRepository, input: ListInput): ListResult {
  const pageSize = input.pageSize ?? DEFAULT_PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE) {
    throw new TaskError('invalid-params', `pageSize must be an integer from 1 to ${MAX_PAGE}.`);
  }
  let updatedAfter: number | undefined;
  if (input.statusTimestampAfter) {
    updatedAfter = Date.parse(input.statusTimestampAfter);
    if (Number.isNaN(updatedAfter)) throw new TaskError('invalid-params', 'statusTimestampAfter must be an ISO 8601 timestamp.');
  }
  const { rows, total } = reader.list({
    contextId: input.contextId || undefined,
    state: input.state ? stateName(input.state) : undefined,
    updatedAfter,
    before: input.pageToken ? decodePageToken(input.pageToken) : undefined,
    limit: pageSize + 1,
  });
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  return {
    tasks: page.map((r) => taskFromRow(reader, r, { historyLength: input.historyLength, includeArtifacts: input.includeArtifacts ?? false })),
    nextPageToken: rows.length > pageSize && last ? encodePageToken(last.updated_at, last.id) : '',
    pageSize,
    totalSize: total,
  };
}
