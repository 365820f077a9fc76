import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { anyJson, boolean, integer, isObject, list, object, refuse, string, struct, type Shape } from './body-shape';

// The SDK's v0.3 translator trusts its input as much as the v1.0 codecs do (a numeric text
// becomes "5", a file part that is not an object throws a TypeError), so v0.3 params get the
// same treatment as v1.0 ones, in v0.3's own shapes.

const textPart = object({ kind: string, text: string, metadata: struct }, (v, path) => {
  if (typeof v.text !== 'string') refuse(`${path}.text`, 'a string', v.text);
});

const fileContent = object({ bytes: string, uri: string, name: string, mimeType: string }, (v, path) => {
  if (typeof v.bytes !== 'string' && typeof v.uri !== 'string') {
    throw new RequestMalformedError(`${path} needs "bytes" (base64) or "uri".`);
  }
});

const filePart = object({ kind: string, file: fileContent, metadata: struct }, (v, path) => {
  if (!isObject(v.file)) refuse(`${path}.file`, 'a JSON object', v.file);
});

const dataPart = object({ kind: string, data: struct, metadata: struct }, (v, path) => {
  if (!isObject(v.data)) refuse(`${path}.data`, 'a JSON object', v.data);
});

const partsByKind: Record<string, Shape> = { text: textPart, file: filePart, data: dataPart };

const part: Shape = (v, path) => {
  if (!isObject(v)) refuse(path, 'a JSON object', v);
  const shape = typeof v.kind === 'string' ? partsByKind[v.kind] : undefined;
  if (!shape) throw new RequestMalformedError(`${path}.kind must be "text", "file" or "data".`);
  shape(v, path);
};

const message = object({
  kind: string,
  messageId: string,
  contextId: string,
  taskId: string,
  role: string,
  parts: list(part),
  metadata: struct,
  extensions: list(string),
  referenceTaskIds: list(string),
});

const pushConfig = object({
  id: string,
  url: string,
  token: string,
  authentication: object({ schemes: list(string), credentials: string }),
});

const sendParams = object({
  message,
  configuration: object({ acceptedOutputModes: list(string), blocking: boolean, historyLength: integer, pushNotificationConfig: pushConfig }),
  metadata: struct,
});

const taskRef = object({ id: string, metadata: struct });

/** The params of every v0.3 JSON-RPC method, by method name. */
export const legacyParamShapes: Readonly<Record<string, Shape>> = {
  'message/send': sendParams,
  'message/stream': sendParams,
  'tasks/get': object({ id: string, historyLength: integer, metadata: struct }),
  'tasks/cancel': taskRef,
  'tasks/resubscribe': taskRef,
  'tasks/pushNotificationConfig/set': object({ taskId: string, pushNotificationConfig: pushConfig }),
  'tasks/pushNotificationConfig/get': object({ id: string, pushNotificationConfigId: string, metadata: struct }),
  'tasks/pushNotificationConfig/list': taskRef,
  'tasks/pushNotificationConfig/delete': object({ id: string, pushNotificationConfigId: string, metadata: struct }),
  'agent/getAuthenticatedExtendedCard': anyJson,
};
