import {
  type A2AError,
  ContentTypeNotSupportedError,
  ExtendedAgentCardNotConfiguredError,
  ExtensionSupportRequiredError,
  InvalidAgentResponseError,
  PushNotificationNotSupportedError,
  RequestMalformedError,
  TaskNotCancelableError,
  TaskNotFoundError,
  UnsupportedOperationError,
  VersionNotSupportedError,
} from '@a2a-js/sdk/errors';

export interface ErrorMapping {
  /** JSON-RPC `error.code`. */
  jsonRpc: number;
  /** HTTP status on the HTTP+JSON binding. */
  http: number;
  /** google.rpc status name in the HTTP+JSON error body (the gRPC column of the table). */
  status: string;
}

/**
 * A2A v1.0 section 5.4, "Error Code Mappings", row by row, plus the request validation error
 * (-32602 / 400 INVALID_ARGUMENT, section 3.3.2). The SDK's own REST table predates the spec's
 * 409, 415 and 502, so the HTTP+JSON binding renders statuses from here.
 */
export const A2A_ERROR_TABLE: Readonly<Record<string, ErrorMapping>> = {
  [TaskNotFoundError.name]: { jsonRpc: -32001, http: 404, status: 'NOT_FOUND' },
  [TaskNotCancelableError.name]: { jsonRpc: -32002, http: 409, status: 'FAILED_PRECONDITION' },
  [PushNotificationNotSupportedError.name]: { jsonRpc: -32003, http: 400, status: 'UNIMPLEMENTED' },
  [UnsupportedOperationError.name]: { jsonRpc: -32004, http: 400, status: 'UNIMPLEMENTED' },
  [ContentTypeNotSupportedError.name]: { jsonRpc: -32005, http: 415, status: 'INVALID_ARGUMENT' },
  [InvalidAgentResponseError.name]: { jsonRpc: -32006, http: 502, status: 'INTERNAL' },
  [ExtendedAgentCardNotConfiguredError.name]: { jsonRpc: -32007, http: 400, status: 'FAILED_PRECONDITION' },
  [ExtensionSupportRequiredError.name]: { jsonRpc: -32008, http: 400, status: 'FAILED_PRECONDITION' },
  [VersionNotSupportedError.name]: { jsonRpc: -32009, http: 400, status: 'UNIMPLEMENTED' },
  [RequestMalformedError.name]: { jsonRpc: -32602, http: 400, status: 'INVALID_ARGUMENT' },
};

/** Any other failure: -32603 / 500 INTERNAL. */
export const INTERNAL_ERROR: ErrorMapping = { jsonRpc: -32603, http: 500, status: 'INTERNAL' };

export function mappingOf(err: A2AError): ErrorMapping {
  return A2A_ERROR_TABLE[err.name] ?? INTERNAL_ERROR;
}
