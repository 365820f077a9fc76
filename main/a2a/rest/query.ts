import { TaskState, type ListTasksRequest } from '@a2a-js/sdk';
import { RequestMalformedError } from '@a2a-js/sdk/errors';

/**
 * Query parameters of the GET routes, checked strictly: the SDK's codecs turn a bad number into
 * NaN and an unknown enum into -1 without a word, and a misspelt parameter would otherwise be
 * silently ignored.
 */
type Query = URLSearchParams;

function single(query: Query, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw new RequestMalformedError(`Query parameter "${name}" is given ${values.length} times; give it once.`);
  return values[0];
}

function onlyKnown(query: Query, known: readonly string[]): void {
  for (const name of new Set(query.keys())) {
    if (!known.includes(name)) {
      const accepted = known.length ? `Accepted: ${known.join(', ')}.` : 'This route takes none.';
      throw new RequestMalformedError(`Unknown query parameter "${name}". ${accepted}`);
    }
  }
}

function nonNegativeInt(query: Query, name: string): number | undefined {
  const raw = single(query, name);
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw new RequestMalformedError(`${name} must be a non-negative integer, got "${raw.slice(0, 40)}".`);
  return Number(raw);
}

function boolean(query: Query, name: string): boolean | undefined {
  const raw = single(query, name);
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new RequestMalformedError(`${name} must be "true" or "false", got "${raw.slice(0, 40)}".`);
}

const stateNames = Object.keys(TaskState).filter((k) => k.startsWith('TASK_STATE_'));

function taskState(query: Query, name: string): TaskState {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return TaskState.TASK_STATE_UNSPECIFIED;
  const state = (TaskState as unknown as Record<string, TaskState>)[raw];
  if (state === undefined || typeof state !== 'number') {
    throw new RequestMalformedError(`${name} must be one of ${stateNames.join(', ')}; got "${raw.slice(0, 40)}".`);
  }
  return state;
}

function timestamp(query: Query, name: string): string | undefined {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{4}-\d\d-\d\dT/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new RequestMalformedError(`${name} must be an RFC 3339 timestamp such as 2025-01-31T12:00:00Z, got "${raw.slice(0, 40)}".`);
  }
  return raw;
}

/** GET /tasks/{id}: only historyLength. */
export function getTaskQuery(query: Query): { historyLength?: number } {
  onlyKnown(query, ['historyLength']);
  return { historyLength: nonNegativeInt(query, 'historyLength') };
}

/** GET /tasks: the ListTasksRequest fields, by their JSON names. */
export function listTasksQuery(query: Query): ListTasksRequest {
  onlyKnown(query, ['contextId', 'status', 'pageSize', 'pageToken', 'historyLength', 'statusTimestampAfter', 'includeArtifacts']);
  const pageSize = nonNegativeInt(query, 'pageSize');
  if (pageSize !== undefined && (pageSize < 1 || pageSize > 100)) {
    throw new RequestMalformedError(`pageSize must be from 1 to 100, got ${pageSize}.`);
  }
  return {
    tenant: '',
    contextId: single(query, 'contextId') ?? '',
    status: taskState(query, 'status'),
    pageSize,
    pageToken: single(query, 'pageToken') ?? '',
    historyLength: nonNegativeInt(query, 'historyLength'),
    statusTimestampAfter: timestamp(query, 'statusTimestampAfter'),
    includeArtifacts: boolean(query, 'includeArtifacts'),
  };
}

/** GET /tasks/{taskId}/pushNotificationConfigs: paging only. */
export function listConfigsQuery(query: Query): { pageSize: number; pageToken: string } {
  onlyKnown(query, ['pageSize', 'pageToken']);
  return { pageSize: nonNegativeInt(query, 'pageSize') ?? 0, pageToken: single(query, 'pageToken') ?? '' };
}
