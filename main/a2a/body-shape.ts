import { RequestMalformedError } from '@a2a-js/sdk/errors';

/**
 * Type checks of request bodies (HTTP+JSON bodies and JSON-RPC params) before the SDK's codecs see them: fromJSON coerces rather than
 * refuses (messageId 5 becomes "5", returnImmediately "no" becomes true), so a mistyped field
 * would be accepted as something the client did not send. Unknown fields are let through, for
 * clients a minor version ahead. Required fields and enum values are the request handler's
 * checks; nesting depth is bounded here because the codecs recurse.
 */
export type Shape = (value: unknown, path: string) => void;

const MAX_DEPTH = 64;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}

export function refuse(path: string, expected: string, value: unknown): never {
  throw new RequestMalformedError(`${path} must be ${expected}, not ${describe(value)}.`);
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const string: Shape = (v, path) => {
  if (typeof v !== 'string') refuse(path, 'a string', v);
};
/** ProtoJSON writes 64-bit integers as strings and parsers take both. */
export const integer: Shape = (v, path) => {
  if (!(Number.isSafeInteger(v) || (typeof v === 'string' && /^-?\d{1,15}$/.test(v)))) refuse(path, 'an integer', v);
};
export const boolean: Shape = (v, path) => {
  if (typeof v !== 'boolean') refuse(path, 'true or false', v);
};
/** An enum by its name ("ROLE_USER") or number, as ProtoJSON allows. */
const enumValue: Shape = (v, path) => {
  if (typeof v !== 'string' && !Number.isInteger(v)) refuse(path, 'an enum name such as "ROLE_USER"', v);
};
/** google.protobuf.Struct: any JSON object. */
export const struct: Shape = (v, path) => {
  if (!isObject(v)) refuse(path, 'a JSON object', v);
};
/** google.protobuf.Value: any JSON. */
export const anyJson: Shape = () => {};

export const list =
  (item: Shape): Shape =>
  (v, path) => {
    if (!Array.isArray(v)) refuse(path, 'an array', v);
    v.forEach((x, i) => item(x, `${path}[${i}]`));
  };

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** An object whose known fields (by JSON or proto name; null means unset) have these shapes. */
export function object(fields: Record<string, Shape>, also?: (v: Record<string, unknown>, path: string) => void): Shape {
  // Every accepted key, worked out once: this runs on every request.
  const keys = Object.entries(fields).flatMap(([name, shape]) => [...new Set([name, snake(name)])].map((key) => [key, shape] as const));
  return (v, path) => {
    if (!isObject(v)) refuse(path, 'a JSON object', v);
    for (const [key, shape] of keys) {
      const value = v[key];
      if (value !== undefined && value !== null) shape(value, path ? `${path}.${key}` : key);
    }
    also?.(v, path);
  };
}

const CONTENT = ['text', 'raw', 'url', 'data'];

const part = object(
  { text: string, raw: string, url: string, data: anyJson, metadata: struct, filename: string, mediaType: string },
  (v, path) => {
    const given = CONTENT.filter((k) => v[k] !== undefined && v[k] !== null);
    if (given.length > 1) throw new RequestMalformedError(`${path} has ${given.join(' and ')}; a part holds exactly one of text, raw, url or data.`);
  },
);

const message = object({
  messageId: string,
  contextId: string,
  taskId: string,
  role: enumValue,
  parts: list(part),
  metadata: struct,
  extensions: list(string),
  referenceTaskIds: list(string),
});

const authentication = object({ scheme: string, credentials: string });

export const pushConfigShape = object({ tenant: string, id: string, taskId: string, url: string, token: string, authentication });

/**
 * v0.3 names of send options that v1.0 renamed: a v1.0 request that carries one meant something
 * this host would otherwise ignore in silence (no webhook, a blocking send), so it is refused.
 */
const renamedInV1: Record<string, string> = {
  pushNotificationConfig: 'taskPushNotificationConfig',
  push_notification_config: 'taskPushNotificationConfig',
  blocking: 'returnImmediately (its opposite)',
};

export const sendMessageShape = object({
  tenant: string,
  message,
  configuration: object(
    {
      acceptedOutputModes: list(string),
      taskPushNotificationConfig: pushConfigShape,
      historyLength: integer,
      returnImmediately: boolean,
    },
    (v, path) => {
      const old = Object.keys(renamedInV1).find((k) => v[k] !== undefined);
      if (old) throw new RequestMalformedError(`${path}.${old} is an A2A v0.3 field; in v1.0 it is ${path}.${renamedInV1[old]}.`);
    },
  ),
  metadata: struct,
});

export const cancelShape = object({ tenant: string, id: string, metadata: struct });

const taskRef = object({ tenant: string, id: string });
const pushRef = object({ tenant: string, taskId: string, id: string });

/** The params of every v1.0 JSON-RPC method, by method name. */
export const jsonRpcParamShapes: Readonly<Record<string, Shape>> = {
  SendMessage: sendMessageShape,
  SendStreamingMessage: sendMessageShape,
  GetTask: object({ tenant: string, id: string, historyLength: integer }),
  ListTasks: object({
    tenant: string,
    contextId: string,
    status: enumValue,
    pageSize: integer,
    pageToken: string,
    historyLength: integer,
    statusTimestampAfter: string,
    includeArtifacts: boolean,
  }),
  CancelTask: cancelShape,
  SubscribeToTask: taskRef,
  CreateTaskPushNotificationConfig: pushConfigShape,
  GetTaskPushNotificationConfig: pushRef,
  DeleteTaskPushNotificationConfig: pushRef,
  ListTaskPushNotificationConfigs: object({ tenant: string, taskId: string, pageSize: integer, pageToken: string }),
  GetExtendedAgentCard: object({ tenant: string }),
};

/** Iterative, so a hostile nesting depth cannot overflow our own stack while it is measured. */
export function checkDepth(value: unknown): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_DEPTH) throw new RequestMalformedError(`The request body nests deeper than ${MAX_DEPTH} levels.`);
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
}

export function checkShape(body: Record<string, unknown>, shape: Shape): void {
  checkDepth(body);
  shape(body, '');
}
